#include "service/server/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace accord::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

// Length of the valid UTF-8 sequence starting at text[i], or 0 if the
// bytes there are not one (overlong forms, surrogates and values above
// U+10FFFF are invalid).
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

absl::Status ParseLogFormat(absl::string_view text, LogFormat* format) {
  if (text == "text") {
    *format = LogFormat::kText;
  } else if (text == "json") {
    *format = LogFormat::kJson;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--log_format must be text or json, not \"", text, "\""));
  }
  return absl::OkStatus();
}

void SetLogFormat(LogFormat format) { g_format.store(format, std::memory_order_relaxed); }

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      continue;
    }
    out.append(text.data() + i, n);
    i += n;
  }
  return out;
}

std::string FormatLogLine(LogFormat format, absl::Time time, absl::string_view level,
                          absl::string_view message, const LogFields& fields) {
  std::string stamp = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
  std::string line;
  if (format == LogFormat::kJson) {
    line = absl::StrCat("{\"time\":\"", stamp, "\",\"level\":\"", JsonEscape(level),
                        "\",\"message\":\"", JsonEscape(message), "\"");
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value), "\"");
    }
    line += "}\n";
    return line;
  }
  line = absl::StrCat(stamp, " ", level, " ", message);
  for (const auto& [key, value] : fields) {
    if (NeedsQuotes(value)) {
      absl::StrAppend(&line, " ", key, "=\"", JsonEscape(value), "\"");
    } else {
      absl::StrAppend(&line, " ", key, "=", value);
    }
  }
  line += "\n";
  return line;
}

void Log(absl::string_view level, absl::string_view message, const LogFields& fields) {
  std::string line =
      FormatLogLine(g_format.load(std::memory_order_relaxed), absl::Now(), level, message, fields);
  // One write(2) so that concurrent lines do not interleave.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace accord::server
