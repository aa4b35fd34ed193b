#include "http/message.h"

namespace steward::http {

std::string urlDecode(const std::string& s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '%' && i + 2 < s.size() && std::isxdigit((unsigned char)s[i + 1]) &&
        std::isxdigit((unsigned char)s[i + 2])) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (ch == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(const std::string& qs) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= qs.size()) {
    auto amp = qs.find('&', start);
    auto part = qs.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string::npos)
        out[urlDecode(part, true)] = "";
      else
        out[urlDecode(part.substr(0, eq), true)] = urlDecode(part.substr(eq + 1), true);
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string Request::cookie(const std::string& name) const {
  auto h = header("cookie");
  std::size_t pos = 0;
  while (pos < h.size()) {
    auto semi = h.find(';', pos);
    auto part = h.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos);
    auto b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (semi == std::string::npos) break;
    pos = semi + 1;
  }
  return "";
}

}  // namespace steward::http
