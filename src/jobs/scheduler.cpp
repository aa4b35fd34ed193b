#include "jobs/scheduler.h"

#include <algorithm>
#include <exception>

#include "service/bulletins.h"
#include "service/lights.h"
#include "service/problems.h"
#include "service/reports.h"

namespace steward::jobs {

void Scheduler::add(Job job) {
  std::lock_guard lock(mu_);
  entries_.push_back({std::move(job), std::nullopt});
  cv_.notify_all();
}

int Scheduler::tick(Clock::time_point now) {
  std::vector<Entry*> due;
  {
    std::lock_guard lock(mu_);
    for (auto& e : entries_)
      if (!e.last || now - *e.last >= e.job.every) due.push_back(&e);
  }
  for (auto* e : due) {
    try {
      auto line = e->job.run();
      if (!line.empty()) log_ << "job " << e->job.name << ": " << line << std::endl;
    } catch (const std::exception& ex) {
      log_ << "job " << e->job.name << " failed: " << ex.what() << std::endl;
    }
    std::lock_guard lock(mu_);
    e->last = now;
  }
  return static_cast<int>(due.size());
}

std::optional<Scheduler::Clock::time_point> Scheduler::nextDue() const {
  std::lock_guard lock(mu_);
  std::optional<Clock::time_point> out;
  for (const auto& e : entries_) {
    auto at = e.last ? *e.last + e.job.every : Clock::time_point::min();
    if (!out || at < *out) out = at;
  }
  return out;
}

void Scheduler::start() {
  thread_ = std::thread([this] {
    while (true) {
      tick(Clock::now());
      const auto next = nextDue();
      std::unique_lock lock(mu_);
      // The predicate is checked under the lock before waiting, so a stop() in between is never missed.
      if (next) cv_.wait_until(lock, *next, [this] { return stopping_; });
      else cv_.wait(lock, [this] { return stopping_ || !entries_.empty(); });
      if (stopping_) return;
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<Job> standardJobs(service::Env env, std::chrono::seconds remindEvery) {
  std::vector<Job> jobs;
  // The nightly lights: checked as often as the reminders, each county evaluated once a day after 00:30 its time.
  if (remindEvery.count() > 0)
    jobs.push_back({"evaluate-lights", remindEvery, [env] {
                      const int n = service::LightsService(env).evaluateDue(env.now());
                      return n ? "lights evaluated in " + std::to_string(n) + " counties" : std::string();
                    }});
  if (remindEvery.count() > 0)
    jobs.push_back({"remind-overdue-reports", remindEvery, [env] {
                      auto out = service::ReportService(env).remindOverdue("", env.now());
                      const auto sent = out.value("sent", std::int64_t(0));
                      return sent ? "reminders sent: " + std::to_string(sent) : std::string();
                    }});
  // The problem list's day: deadline notices, automatic escalation and the lights of projects with overdue problems.
  if (remindEvery.count() > 0)
    jobs.push_back({"problems-daily", remindEvery, [env] {
                      auto out = service::ProblemsService(env).runDaily(env.now());
                      const auto n = out.value("checked", std::int64_t(0));
                      return n ? "problems checked " + std::to_string(n) + ", near " + out["near"].dump() +
                                     ", overdue " + out["overdue"].dump() + ", escalated " + out["escalated"].dump()
                               : std::string();
                    }});
  // The inspection bulletin's cadence (Jingle weekly): a draft for headquarters once a period ends.
  if (remindEvery.count() > 0)
    jobs.push_back({"draft-bulletins", remindEvery, [env] {
                      const int n = service::BulletinsService(env).draftDue(env.now());
                      return n ? "bulletin drafts: " + std::to_string(n) : std::string();
                    }});
  // Enterprise demands are answered within hours: their clock is checked at least every 15 minutes.
  if (remindEvery.count() > 0)
    jobs.push_back({"demand-clock", std::min(remindEvery, std::chrono::seconds(900)), [env] {
                      auto out = service::ProblemsService(env).runDemandClock(env.now());
                      const auto a = out["expiring"].get<std::int64_t>(), b = out["expired"].get<std::int64_t>();
                      return a || b ? "demands expiring " + std::to_string(a) + ", expired " + std::to_string(b)
                                    : std::string();
                    }});
  return jobs;
}

Job webhookDeliveryJob(service::Env env, service::WebhookPolicy policy, service::WebhookTransport post,
                       std::chrono::seconds every) {
  return {"deliver-webhooks", every, [env, policy, post] {
            service::WebhookService hooks(env, policy);
            std::int64_t delivered = 0, retrying = 0, failed = 0;
            // Batches until nothing is due, so a backlog drains in one run.
            for (int batch = 0; batch < 20; ++batch) {
              auto out = hooks.deliverDue(post, 50);
              delivered += out["delivered"].get<std::int64_t>();
              retrying += out["retrying"].get<std::int64_t>();
              failed += out["failed"].get<std::int64_t>();
              if (out["claimed"].get<std::int64_t>() < 50) break;
            }
            if (!delivered && !retrying && !failed) return std::string();
            return "webhooks delivered " + std::to_string(delivered) + ", retrying " + std::to_string(retrying) +
                   ", failed " + std::to_string(failed);
          }};
}

}  // namespace steward::jobs
