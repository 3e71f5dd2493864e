#include <sstream>

#include "gtest/gtest.h"
#include "tools/accord_catalog/command.h"

namespace accord::tools {
namespace {

int Echo(const CommandContext& ctx) {
  for (const auto& a : ctx.args) *ctx.out << a << ";";
  return 7;
}

TEST(DispatchTest, RunsTheNamedCommandWithTheRestOfTheArguments) {
  std::ostringstream out, err;
  std::vector<Command> commands = {{"echo", "echo ARGS", "prints", Echo}};
  EXPECT_EQ(Dispatch(commands, {"echo", "a", "b"}, out, err), 7);
  EXPECT_EQ(out.str(), "a;b;");
}

TEST(DispatchTest, UnknownOrMissingCommandIsAUsageError) {
  std::ostringstream out, err;
  std::vector<Command> commands = {{"echo", "echo ARGS", "prints", Echo}};
  EXPECT_EQ(Dispatch(commands, {"nope"}, out, err), kExitUsage);
  EXPECT_NE(err.str().find("unknown command \"nope\""), std::string::npos);
  EXPECT_EQ(Dispatch(commands, {}, out, err), kExitUsage);
  std::ostringstream help;
  EXPECT_EQ(Dispatch(commands, {"help"}, help, err), kExitOk);
  EXPECT_NE(help.str().find("echo ARGS"), std::string::npos);
}

}  // namespace
}  // namespace accord::tools
