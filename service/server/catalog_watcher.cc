#include "service/server/catalog_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace accord::server {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kDirectoryEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                      IN_MOVED_TO | IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF |
                                      IN_MOVE_SELF;
constexpr uint32_t kParentEvents = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM;

int PollMillis(absl::Duration d) {
  return d == absl::InfiniteDuration() ? -1 : static_cast<int>(absl::ToInt64Milliseconds(d));
}

}  // namespace

absl::StatusOr<std::unique_ptr<CatalogWatcher>> CatalogWatcher::Start(
    std::string directory, absl::Duration settle, std::function<void()> on_change) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec) && !fs::is_regular_file(directory, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--watch_catalog: ", directory, " is neither a directory nor a compiled catalogue file"));
  }
  int inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_fd < 0) {
    return absl::InternalError(absl::StrCat("--watch_catalog: inotify: ", std::strerror(errno)));
  }
  int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) {
    close(inotify_fd);
    return absl::InternalError(absl::StrCat("--watch_catalog: eventfd: ", std::strerror(errno)));
  }
  std::unique_ptr<CatalogWatcher> watcher(
      new CatalogWatcher(std::move(directory), settle, std::move(on_change), inotify_fd, stop_fd));
  watcher->Arm();
  watcher->thread_ = std::thread(&CatalogWatcher::Run, watcher.get());
  return watcher;
}

CatalogWatcher::CatalogWatcher(std::string directory, absl::Duration settle,
                               std::function<void()> on_change, int inotify_fd, int stop_fd)
    : directory_(std::move(directory)),
      settle_(settle),
      on_change_(std::move(on_change)),
      inotify_fd_(inotify_fd),
      stop_fd_(stop_fd) {
  fs::path path = fs::path(directory_).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();  // "dir/" -> "dir"
  basename_ = path.filename().string();
}

CatalogWatcher::~CatalogWatcher() {
  uint64_t one = 1;
  ssize_t ignored = write(stop_fd_, &one, sizeof(one));
  (void)ignored;
  if (thread_.joinable()) thread_.join();
  close(inotify_fd_);
  close(stop_fd_);
}

void CatalogWatcher::Arm() {
  // Closing and reopening would lose events between the two; removing the
  // old watches keeps the descriptor.
  std::vector<int>& watches = watches_;
  for (int wd : watches) inotify_rm_watch(inotify_fd_, wd);
  watches.clear();
  std::error_code ec;
  fs::path dir = fs::path(directory_).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  parent_watch_ = inotify_add_watch(inotify_fd_, parent.c_str(), kParentEvents | IN_ONLYDIR);
  if (parent_watch_ >= 0) watches.push_back(parent_watch_);
  // inotify_add_watch follows symlinks, so this watches the current target.
  if (int wd = inotify_add_watch(inotify_fd_, dir.c_str(), kDirectoryEvents); wd >= 0) {
    watches.push_back(wd);
  }
  for (fs::recursive_directory_iterator
           it(dir, fs::directory_options::follow_directory_symlink, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && it.depth() < 8) {
      if (int wd = inotify_add_watch(inotify_fd_, it->path().c_str(), kDirectoryEvents); wd >= 0) {
        watches.push_back(wd);
      }
    }
  }
}

void CatalogWatcher::Run() {
  alignas(inotify_event) char buffer[16 * 1024];
  bool pending = false;
  for (;;) {
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    // While a change is pending, wait only for the burst to settle.
    int ready = poll(fds, 2, pending ? PollMillis(settle_) : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (ready == 0) {  // quiet for `settle_`: act on the burst
      pending = false;
      Arm();
      on_change_();
      continue;
    }
    ssize_t n;
    while ((n = read(inotify_fd_, buffer, sizeof(buffer))) > 0) {
      for (char* p = buffer; p < buffer + n;) {
        auto* event = reinterpret_cast<inotify_event*>(p);
        p += sizeof(inotify_event) + event->len;
        if (event->mask & IN_IGNORED) continue;
        // In the parent, only the catalogue path itself matters.
        if (event->wd == parent_watch_ && (event->len == 0 || basename_ != event->name)) {
          continue;
        }
        pending = true;
      }
    }
  }
}

}  // namespace accord::server
