#include "preview/page_images.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <sys/mman.h>
#include <unistd.h>

#include <memory>

namespace wardprint::preview {
namespace {

// A file in memory: poppler's image writes only to a named file, and a leaflet's picture
// must not be left on disk.
class MemoryFile {
 public:
  MemoryFile() : fd_(::memfd_create("wardprint-page", MFD_CLOEXEC)) {
    if (fd_ < 0) throw PreviewError("could not make a file in memory for the page image");
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  std::string contents() const {
    std::string bytes;
    char buffer[65536];
    ::lseek(fd_, 0, SEEK_SET);
    for (ssize_t got; (got = ::read(fd_, buffer, sizeof buffer)) > 0;) bytes.append(buffer, static_cast<std::size_t>(got));
    return bytes;
  }

 private:
  int fd_;
};

}  // namespace

std::optional<PageImage> renderPage(const std::string& pdf, int page, int dpi) {
  const std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!document || document->is_locked()) throw PreviewError("the leaflet's PDF cannot be read");
  const int pages = document->pages();
  if (page < 1 || page > pages) return std::nullopt;
  const std::unique_ptr<poppler::page> chosen(document->create_page(page - 1));
  if (!chosen) throw PreviewError("page " + std::to_string(page) + " of the leaflet cannot be read");
  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing | poppler::page_renderer::text_antialiasing |
                            poppler::page_renderer::text_hinting);
  const auto image = renderer.render_page(chosen.get(), dpi, dpi);
  MemoryFile file;
  if (!image.is_valid() || !image.save(file.path(), "png", dpi)) {
    throw PreviewError("page " + std::to_string(page) + " of the leaflet cannot be drawn");
  }
  return PageImage{file.contents(), pages};
}

}  // namespace wardprint::preview
