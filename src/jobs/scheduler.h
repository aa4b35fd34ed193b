// Work that runs on a schedule inside `steward serve`, on its own thread, never on the network threads: the
// reminder of overdue progress reports now; the nightly evaluation of warning lights and the escalation of
// overdue problems later. A job is due `every` after its last run (at once when it has never run); the business
// time a job reasons about comes from the service's clock (service::Env::now, the test clock in tests), while the
// scheduler's own pacing uses the steady clock.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "service/context.h"
#include "service/webhooks.h"

namespace steward::jobs {

struct Job {
  std::string name;
  std::chrono::seconds every{300};
  // Does the work and returns a line for the log ("" for nothing worth a line). May throw: the scheduler logs it
  // and tries again at the next due time.
  std::function<std::string()> run;
};

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Scheduler(std::ostream& log) : log_(log) {}
  ~Scheduler() { stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void add(Job job);
  // Runs every job due at `now`, in the order added; returns how many ran. The thread calls it; tests call it
  // with instants of their choosing.
  int tick(Clock::time_point now);
  // The earliest instant a job is due; nullopt without jobs.
  std::optional<Clock::time_point> nextDue() const;
  // A thread that ticks whenever a job is due, until stop().
  void start();
  void stop();

 private:
  struct Entry {
    Job job;
    std::optional<Clock::time_point> last;
  };
  std::ostream& log_;
  std::vector<Entry> entries_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// The jobs `steward serve` runs: reminders to the liaisons of overdue progress reports, in every county, every
// `remindEvery` (idempotent: one reminder per project and period). A zero interval leaves the job out.
std::vector<Job> standardJobs(service::Env env, std::chrono::seconds remindEvery);
// The webhook outbox, every `every`: posts the due deliveries through `post` (http::webhookTransport in
// `steward serve`), retrying failures with backoff (service::WebhookService::deliverDue). Deliveries left pending
// when the server stopped are due at its first run after the start.
Job webhookDeliveryJob(service::Env env, service::WebhookPolicy policy, service::WebhookTransport post,
                       std::chrono::seconds every);

}  // namespace steward::jobs
