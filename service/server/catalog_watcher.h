// --watch_catalog: notices changes to the catalogue directory with inotify
// and calls back, so that the server reloads exactly as on SIGHUP.
//
// Covers in-place edits, new, removed and renamed files, the directory's
// subdirectories (texts/), a Kubernetes ConfigMap or Secret volume update
// (files are symlinks into a "..data" symlink that the kubelet swaps
// atomically by rename), and a swap of the catalogue path itself when it is
// a symlink (git-sync style): the watches follow the new target. A compiled
// catalogue file (--catalog=file.accord) is watched the same way: its
// parent directory sees a new file renamed over it (how `accord_catalog
// compile` writes), the file itself an in-place write.
#ifndef ACCORD_SERVICE_SERVER_CATALOG_WATCHER_H_
#define ACCORD_SERVICE_SERVER_CATALOG_WATCHER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace accord::server {

class CatalogWatcher {
 public:
  // Watches `directory` and calls `on_change` on the watcher's own thread
  // once a burst of changes has been quiet for `settle` (a copy of many
  // files is one reload, not many). Calls never overlap.
  static absl::StatusOr<std::unique_ptr<CatalogWatcher>> Start(std::string directory,
                                                               absl::Duration settle,
                                                               std::function<void()> on_change);

  // Stops the thread; no call of on_change runs after it returns.
  ~CatalogWatcher();

  CatalogWatcher(const CatalogWatcher&) = delete;
  CatalogWatcher& operator=(const CatalogWatcher&) = delete;

 private:
  CatalogWatcher(std::string directory, absl::Duration settle, std::function<void()> on_change,
                 int inotify_fd, int stop_fd);
  // Replaces all watches by fresh ones on the directory (as it resolves
  // now), its subdirectories and its parent.
  void Arm();
  void Run();

  const std::string directory_;
  const absl::Duration settle_;
  const std::function<void()> on_change_;
  const int inotify_fd_;
  const int stop_fd_;  // an eventfd; written to stop
  std::string basename_;
  // Used by Start, then only by the watcher thread.
  int parent_watch_ = -1;
  std::vector<int> watches_;
  std::thread thread_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_CATALOG_WATCHER_H_
