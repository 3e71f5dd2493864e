#include "service/catalog/fixed_width.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace accord::catalog {
namespace {

TEST(FixedWidthTest, WritesLittleEndianAtAnyOffset) {
  std::string out(11, '\0');
  PutFixed<uint32_t>(&out, 1, 0x04030201u);
  PutFixed<uint16_t>(&out, 5, 0x0605u);
  PutFixed<uint32_t>(&out, 7, 0xA0B0C0D0u);
  EXPECT_EQ(out, std::string("\x00\x01\x02\x03\x04\x05\x06\xD0\xC0\xB0\xA0", 11));
}

TEST(FixedWidthTest, ReadsWhatWasWrittenUnaligned) {
  std::string buffer(3 + 8 + 4, 'x');
  PutFixed<uint64_t>(&buffer, 3, 0x1122334455667788ull);
  PutFixed<int32_t>(&buffer, 11, -7);
  EXPECT_EQ(GetFixed<uint64_t>(buffer, 3), 0x1122334455667788ull);
  EXPECT_EQ(GetFixed<int32_t>(buffer, 11), -7);
  EXPECT_EQ(LoadFixed<uint64_t>(buffer.data() + 3), 0x1122334455667788ull);
  EXPECT_EQ(buffer[0], 'x');  // bytes outside the value are left alone
  EXPECT_EQ(static_cast<unsigned char>(buffer[3]), 0x88);
}

}  // namespace
}  // namespace accord::catalog
