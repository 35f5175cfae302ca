// The nurse page: plain files from server.page_dir, served to anyone (they hold no data).

#include <filesystem>
#include <map>

#include "http/request_context.h"
#include "util/files.h"

namespace wardprint::http::routes {

void pageFile(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  static const std::map<std::string, std::string> kTypes{{".html", "text/html; charset=utf-8"},
                                                          {".js", "text/javascript; charset=utf-8"},
                                                          {".css", "text/css; charset=utf-8"},
                                                          {".svg", "image/svg+xml"},
                                                          {".png", "image/png"},
                                                          {".ico", "image/x-icon"}};
  if (request.getMethod() != "GET" && request.getMethod() != "HEAD") return sendNotFound(response);
  std::string name = request.getURI().substr(0, request.getURI().find('?'));
  if (name == "/") name = "/index.html";
  name = name.substr(1);
  const bool plainName = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") ==
                                              std::string::npos && name.find("..") == std::string::npos;
  const auto path = std::filesystem::path(context.api.config.server.pageDir) / name;
  const auto type = kTypes.find(path.extension().string());
  if (!plainName || type == kTypes.end() || !std::filesystem::is_regular_file(path)) return sendNotFound(response);
  const auto bytes = util::readFile(path.string());
  // No frames and no objects: the preview is page images (the first one shown from a
  // blob: URL), never a PDF viewer with a print button of its own.
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' blob:; object-src 'none'; frame-src 'none'; "
               "frame-ancestors 'self'; base-uri 'none'");
  response.set("X-Frame-Options", "SAMEORIGIN");
  response.setStatus(HTTPResponse::HTTP_OK);
  response.setContentType(type->second);
  response.sendBuffer(bytes.data(), bytes.size());
}

}  // namespace wardprint::http::routes
