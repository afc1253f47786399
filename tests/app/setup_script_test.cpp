// tools/setup.sh on a bare Debian 12 as a user without root or sudo: it cannot install, so it
// lists the missing packages and the command to install them, and fails. The machine is
// faked with a PATH holding only the tools the script needs, `id` answering a user's id,
// `dpkg-query` knowing no package, and no sudo, npm or apt-get. And the Makefile's use of
// the ccache that setup installs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/run_winiswin.h"

namespace winiswin {
namespace {

class SetupScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = std::filesystem::temp_directory_path() / ("winiswin_setup_" + std::to_string(::getpid()));
    std::filesystem::remove_all(bin_);
    std::filesystem::create_directories(bin_);
    for (const char* tool : {"bash", "grep", "dirname", "cat"}) {
      for (const char* folder : {"/usr/bin/", "/bin/"}) {
        if (std::filesystem::exists(std::string(folder) + tool)) {
          std::filesystem::create_symlink(std::string(folder) + tool, bin_ / tool);
          break;
        }
      }
    }
    fake("dpkg-query", "exit 1");  // no package installed
  }
  void TearDown() override { std::filesystem::remove_all(bin_); }

  void fake(const std::string& name, const std::string& body) {
    std::ofstream(bin_ / name) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(bin_ / name, std::filesystem::perms::owner_all);
  }
  testing::CommandResult run_setup() {
    const std::string script = std::string(WINISWIN_SOURCE_DIR) + "/tools/setup.sh";
    FILE* pipe = popen(("PATH=" + bin_.string() + " /bin/bash " + script + " 2>&1").c_str(), "r");
    std::string output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = pclose(pipe);
    return testing::CommandResult{WEXITSTATUS(status), output};
  }
  std::filesystem::path bin_;
};

TEST_F(SetupScriptTest, WithoutSudoItListsThePackagesToInstall) {
  fake("id", "echo 1000");
  const testing::CommandResult result = run_setup();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(result.output.rfind("setup: not root and no sudo here; install these Debian packages as root", 0), 0u) << result.output;
  std::istringstream lines(result.output);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);  // the packages, on a line of their own
  std::set<std::string> listed;
  std::istringstream words(line);
  for (std::string word; words >> word;) listed.insert(word);
  for (const char* package : {"build-essential", "cmake", "ccache", "libboost1.81-dev", "libcli11-dev", "libxgboost-dev", "chromium",
                              "nodejs", "npm"}) {
    EXPECT_TRUE(listed.contains(package)) << package << "\n" << result.output;
  }
  EXPECT_NE(result.output.find("su -c 'apt-get update && apt-get install -y --no-install-recommends build-essential"), std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("command not found"), std::string::npos) << result.output;
}

TEST_F(SetupScriptTest, WhenAptFailsItSaysSoAndListsThePackages) {
  fake("id", "echo 0");  // root, but apt-get is not there
  const testing::CommandResult result = run_setup();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("setup: apt-get update failed; install these Debian packages as root"), std::string::npos)
      << result.output;
}

// The Makefile on a fresh machine: ccache is not there when make starts, `setup` installs
// it, and the configure step that follows already uses it. The fakes: a setup.sh that
// "installs" ccache into the PATH, a cmake that records its arguments.
TEST_F(SetupScriptTest, TheFirstBuildUsesTheCcacheThatSetupInstalled) {
  const std::filesystem::path project = bin_ / "project";
  std::filesystem::create_directories(project / "tools");
  std::filesystem::copy_file(std::string(WINISWIN_SOURCE_DIR) + "/Makefile", project / "Makefile");
  for (const char* tool : {"make", "sh", "chmod"}) {
    for (const char* folder : {"/usr/bin/", "/bin/"}) {
      if (std::filesystem::exists(std::string(folder) + tool) && !std::filesystem::exists(bin_ / tool)) {
        std::filesystem::create_symlink(std::string(folder) + tool, bin_ / tool);
      }
    }
  }
  std::ofstream(project / "tools" / "setup.sh") << "#!/bin/sh\nprintf '#!/bin/sh\\n' > " << (bin_ / "ccache").string()
                                                << "\nchmod +x " << (bin_ / "ccache").string() << "\n";
  std::filesystem::permissions(project / "tools" / "setup.sh", std::filesystem::perms::owner_all);
  fake("cmake", "echo \"$@\" >> " + (bin_ / "cmake.log").string());
  ASSERT_FALSE(std::filesystem::exists(bin_ / "ccache"));
  const std::string command = "cd " + project.string() + " && PATH=" + bin_.string() + " make configure 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  std::string output;
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  ASSERT_EQ(pclose(pipe), 0) << output;
  EXPECT_TRUE(std::filesystem::exists(bin_ / "ccache"));
  const std::string log = testing::file_text(bin_ / "cmake.log");
  EXPECT_NE(log.find("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"), std::string::npos) << log;
}

}  // namespace
}  // namespace winiswin
