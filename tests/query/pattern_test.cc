#include "service/query/pattern.h"

#include <string>

#include <gtest/gtest.h>

namespace accord::query {
namespace {

TEST(PatternTest, Pieces) {
  EXPECT_EQ(Pattern::FromEscaped("a*b*").pieces(), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(Pattern::FromEscaped("5\\*").pieces(), (std::vector<std::string>{"5*"}));
  EXPECT_EQ(Pattern::FromEscaped("a\\\\*").pieces(), (std::vector<std::string>{"a\\", ""}));
  EXPECT_FALSE(Pattern::FromEscaped("abc").has_wildcard());
  EXPECT_TRUE(Pattern::FromEscaped("*").has_wildcard());
  EXPECT_EQ(Pattern::FromEscaped("countries/*").prefix(), "countries/");
}

TEST(PatternTest, Matches) {
  const Pattern contains = Pattern::FromEscaped("*Trade*");
  EXPECT_TRUE(contains.Matches("Agreement on Reciprocal Trade"));
  EXPECT_TRUE(contains.Matches("Trade"));
  EXPECT_FALSE(contains.Matches("trade"));
  const Pattern any = Pattern::FromEscaped("*");
  EXPECT_TRUE(any.Matches(""));
  EXPECT_TRUE(any.Matches("x"));
  const Pattern ends = Pattern::FromEscaped("a*a");
  EXPECT_FALSE(ends.Matches("a"));  // the two a's can't overlap
  EXPECT_TRUE(ends.Matches("aa"));
  EXPECT_TRUE(ends.Matches("aba"));
  const Pattern middle = Pattern::FromEscaped("a*b*c");
  EXPECT_TRUE(middle.Matches("abc"));
  EXPECT_TRUE(middle.Matches("axxbyyc"));
  EXPECT_FALSE(middle.Matches("acb"));
  EXPECT_FALSE(middle.Matches("abcx"));
  const Pattern star = Pattern::FromEscaped("5\\* hotel");
  EXPECT_TRUE(star.Matches("5* hotel"));
  EXPECT_FALSE(star.Matches("55 hotel"));
}

TEST(PatternTest, ManyStarsAreFast) {
  const Pattern p = Pattern::FromEscaped(std::string(2000, '*') + "b");
  const std::string text(4000, 'a');
  EXPECT_FALSE(p.Matches(text));
  EXPECT_TRUE(p.Matches(text + "b"));
}

}  // namespace
}  // namespace accord::query
