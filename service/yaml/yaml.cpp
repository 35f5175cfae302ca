#include "yaml/yaml.h"

#include <yaml-cpp/yaml.h>

namespace wardprint::yaml {

struct Node::Impl {
  YAML::Node node;
};

namespace {

// Runs a yaml-cpp call, turning its exceptions into ours.
template <typename Work>
auto translated(Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const YAML::BadFile& e) {
    throw BadFile(e.msg, {e.mark.line});
  } catch (const YAML::Exception& e) {
    throw Exception(e.msg, {e.mark.line});
  }
}

}  // namespace

Node::Node() : impl_(std::make_unique<Impl>()) {}
Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;
Node::Node(const Node& other) : impl_(std::make_unique<Impl>(Impl{other.impl_->node})) {}

Node& Node::operator=(const Node& other) {
  translated([&] { impl_->node = other.impl_->node; });
  entries_.reset();
  return *this;
}

Node::operator bool() const { return impl_->node.IsDefined(); }
bool Node::IsMap() const { return impl_->node.IsMap(); }
bool Node::IsSequence() const { return impl_->node.IsSequence(); }
bool Node::IsScalar() const { return impl_->node.IsScalar(); }
std::size_t Node::size() const { return translated([&] { return impl_->node.size(); }); }
Mark Node::Mark() const { return {impl_->node.Mark().line}; }

template <typename T>
T Node::as() const {
  return translated([&] { return impl_->node.as<T>(); });
}
template std::string Node::as<std::string>() const;
template int Node::as<int>() const;
template double Node::as<double>() const;
template bool Node::as<bool>() const;

Node Node::operator[](const std::string& key) const {
  const YAML::Node& node = impl_->node;
  return Node(std::make_unique<Impl>(Impl{translated([&] { return YAML::Node(node[key]); })}));
}
Node Node::operator[](const char* key) const { return (*this)[std::string(key)]; }
Node Node::operator[](std::size_t index) const {
  const YAML::Node& node = impl_->node;
  return Node(std::make_unique<Impl>(Impl{translated([&] { return YAML::Node(node[index]); })}));
}
Node Node::operator[](int index) const { return (*this)[static_cast<std::size_t>(index)]; }

Node Node::operator[](const std::string& key) {
  entries_.reset();
  return Node(std::make_unique<Impl>(Impl{translated([&] { return YAML::Node(impl_->node[key]); })}));
}
Node Node::operator[](const char* key) { return (*this)[std::string(key)]; }
Node Node::operator[](std::size_t index) { return static_cast<const Node&>(*this)[index]; }
Node Node::operator[](int index) { return static_cast<const Node&>(*this)[index]; }

void Node::remove(const std::string& key) {
  entries_.reset();
  translated([&] { impl_->node.remove(key); });
}

std::vector<Entry>::const_iterator Node::begin() const {
  if (!entries_) {
    auto entries = std::make_shared<std::vector<Entry>>();
    const auto wrapped = [](const YAML::Node& node) { return Node(std::make_unique<Impl>(Impl{node})); };
    translated([&] {
      const YAML::Node& node = impl_->node;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (node.IsMap()) {
          entries->emplace_back(Node(), wrapped(it->first), wrapped(it->second));
        } else {
          entries->emplace_back(wrapped(*it), Node(), Node());
        }
      }
    });
    entries_ = std::move(entries);
  }
  return entries_->begin();
}

std::vector<Entry>::const_iterator Node::end() const {
  begin();
  return entries_->end();
}

Node Clone(const Node& node) {
  return Node(std::make_unique<Node::Impl>(Node::Impl{translated([&] { return YAML::Clone(node.impl_->node); })}));
}

Node LoadFile(const std::string& path) {
  return Node(std::make_unique<Node::Impl>(Node::Impl{translated([&] { return YAML::LoadFile(path); })}));
}

}  // namespace wardprint::yaml
