// Waking the daemon that drives a printer when another daemon adds a job for it: NOTIFY
// on commit, LISTEN on a connection of the watcher's own.
#include <atomic>
#include <thread>

#include "pgstore/pg_job_store.h"

namespace wardprint::pgstore {
namespace {

constexpr const char* kChannel = "wardprint_new_jobs";
// How long a wait for a notification lasts, so that the watcher notices it should stop.
constexpr std::chrono::milliseconds kWaitStep{250};
// How long the watcher waits before connecting again after the server went away.
constexpr int kStepsBeforeReconnecting = 4;

class NewJobsWatch : public store::JobStore::Watch {
 public:
  NewJobsWatch(std::string conninfo, std::function<void(const std::string&)> wake)
      : conninfo_(std::move(conninfo)), wake_(std::move(wake)) {
    // Listening before this returns, so that a job added after it is never missed while
    // the server is up; if it is down, the thread keeps trying.
    try {
      listen();
    } catch (const store::StoreError&) {
      connection_.reset();
    }
    thread_ = std::thread([this] { run(); });
  }

  ~NewJobsWatch() override {
    stop_ = true;
    thread_.join();
  }

  NewJobsWatch(const NewJobsWatch&) = delete;
  NewJobsWatch& operator=(const NewJobsWatch&) = delete;

 private:
  void listen() {
    connection_ = std::make_unique<Connection>(conninfo_);
    connection_->run((std::string("LISTEN ") + kChannel).c_str());
  }

  void run() {
    int stepsToWait = 0;
    while (!stop_) {
      if (!connection_) {
        if (stepsToWait-- > 0) {
          std::this_thread::sleep_for(kWaitStep);
          continue;
        }
        try {
          listen();
        } catch (const store::StoreError&) {
          connection_.reset();
          stepsToWait = kStepsBeforeReconnecting;
          continue;
        }
      }
      try {
        for (const auto& printer : connection_->awaitNotifications(kWaitStep)) wake_(printer);
      } catch (const store::StoreError&) {
        // The server went away: jobs added meanwhile are found by the queues' own looks.
        connection_.reset();
        stepsToWait = kStepsBeforeReconnecting;
      }
    }
  }

  std::string conninfo_;
  std::function<void(const std::string&)> wake_;
  std::unique_ptr<Connection> connection_;  // used by the thread only, once it runs
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

void notifyNewJob(Connection& connection, const std::string& printer) {
  connection.run("SELECT pg_notify($1, $2)", Params().text(std::string(kChannel)).text(printer));
}

std::unique_ptr<store::JobStore::Watch> PgJobStore::watchNewJobs(std::function<void(const std::string& printer)> wake) {
  return std::make_unique<NewJobsWatch>(conninfo_, std::move(wake));
}

}  // namespace wardprint::pgstore
