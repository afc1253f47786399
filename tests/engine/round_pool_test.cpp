#include "engine/round_pool.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace winiswin::engine {
namespace {

// Every worker runs each round exactly once, the caller as worker 0, and what the workers
// wrote is visible to the caller when run() returns — round after round.
TEST(RoundPool, RunsEveryWorkerOncePerRoundAndJoinsBeforeReturning) {
  for (const unsigned threads : {1u, 2u, 3u, 5u}) {
    RoundPool pool(threads);
    ASSERT_EQ(pool.threads(), threads);
    std::vector<long> sums(threads, 0);
    std::vector<std::thread::id> ids(threads);
    for (int round = 1; round <= 500; ++round) {
      pool.run([&](unsigned worker) {
        sums[worker] += round;
        ids[worker] = std::this_thread::get_id();
      });
      for (unsigned worker = 0; worker < threads; ++worker) {
        ASSERT_EQ(sums[worker], static_cast<long>(round) * (round + 1) / 2) << threads << " threads, worker " << worker;
      }
    }
    EXPECT_EQ(ids[0], std::this_thread::get_id());
    for (unsigned worker = 1; worker < threads; ++worker) EXPECT_NE(ids[worker], ids[0]);
  }
}

TEST(RoundPool, ZeroThreadsMeansTheCallerAlone) {
  RoundPool pool(0);
  EXPECT_EQ(pool.threads(), 1u);
  int runs = 0;
  pool.run([&](unsigned worker) { runs += worker == 0 ? 1 : 100; });
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace winiswin::engine
