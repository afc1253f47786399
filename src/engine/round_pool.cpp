#include "engine/round_pool.h"

#include <algorithm>

namespace winiswin::engine {

RoundPool::RoundPool(unsigned threads)
    : threads_(std::max(1u, threads)),
      start_(static_cast<std::ptrdiff_t>(threads_)),
      done_(static_cast<std::ptrdiff_t>(threads_)) {
  for (unsigned worker = 1; worker < threads_; ++worker) workers_.emplace_back([this, worker] { work(worker); });
}

RoundPool::~RoundPool() {
  if (workers_.empty()) return;
  stopping_ = true;
  start_.arrive_and_wait();  // releases the workers into their check of `stopping_`
}  // the jthreads join

void RoundPool::run(const std::function<void(unsigned)>& job) {
  if (workers_.empty()) return job(0);
  job_ = &job;
  start_.arrive_and_wait();  // the barrier orders job_ before the workers read it
  job(0);
  done_.arrive_and_wait();
}

void RoundPool::work(unsigned worker) {
  while (true) {
    start_.arrive_and_wait();
    if (stopping_) return;
    (*job_)(worker);
    done_.arrive_and_wait();
  }
}

}  // namespace winiswin::engine
