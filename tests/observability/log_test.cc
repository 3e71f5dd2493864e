#include "service/server/log.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::server {
namespace {

absl::Time At() {
  return absl::FromCivil(absl::CivilSecond(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone()) +
         absl::Milliseconds(678);
}

TEST(LogFormat, ParsesBothNamesAndRejectsOthers) {
  LogFormat format = LogFormat::kText;
  ASSERT_TRUE(ParseLogFormat("json", &format).ok());
  EXPECT_EQ(format, LogFormat::kJson);
  ASSERT_TRUE(ParseLogFormat("text", &format).ok());
  EXPECT_EQ(format, LogFormat::kText);
  absl::Status bad = ParseLogFormat("JSON", &format);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), testing::HasSubstr("text or json"));
}

TEST(FormatLogLine, TextIsTimeLevelMessage) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, At(), "INFO", "listening on 127.0.0.1:1", {}),
            "2026-01-02T03:04:05.678Z INFO listening on 127.0.0.1:1\n");
}

TEST(FormatLogLine, TextQuotesValuesThatNeedIt) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, At(), "INFO", "access",
                          {{"code", "OK"}, {"peer", "a b"}, {"trace_id", ""}}),
            "2026-01-02T03:04:05.678Z INFO access code=OK peer=\"a b\" trace_id=\"\"\n");
}

TEST(FormatLogLine, JsonIsOneObjectPerLine) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, At(), "ERROR", "reload failed",
                          {{"method", "/accord.v1.AccordService/GetAgreement"}, {"code", "OK"}}),
            "{\"time\":\"2026-01-02T03:04:05.678Z\",\"level\":\"ERROR\",\"message\":\"reload "
            "failed\",\"method\":\"/accord.v1.AccordService/GetAgreement\",\"code\":\"OK\"}\n");
}

TEST(FormatLogLine, JsonEscapesEverythingThatCouldBreakTheLine) {
  std::string line = FormatLogLine(LogFormat::kJson, At(), "INFO",
                                   "a \"quote\"\\ new\nline\ttab\x01", {{"k\"", "v\n"}});
  EXPECT_EQ(line,
            "{\"time\":\"2026-01-02T03:04:05.678Z\",\"level\":\"INFO\",\"message\":\"a "
            "\\\"quote\\\"\\\\ new\\nline\\ttab\\u0001\",\"k\\\"\":\"v\\n\"}\n");
  // Exactly one newline: the terminator.
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST(JsonEscape, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(JsonEscape("Malaysia\xE2\x80\x93US"), "Malaysia\xE2\x80\x93US");      // en dash
  EXPECT_EQ(JsonEscape("\xF0\x9F\x8C\x8F"), "\xF0\x9F\x8C\x8F");                  // 4-byte emoji
  EXPECT_EQ(JsonEscape("a\xFFz"), "a\xEF\xBF\xBDz");                              // stray byte
  EXPECT_EQ(JsonEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(JsonEscape("\xE2\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
  EXPECT_EQ(JsonEscape("\x7F"), "\\u007f");
}

}  // namespace
}  // namespace accord::server
