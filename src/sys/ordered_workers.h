#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace imgvisa {

/// Runs `work` on batches on `jobs` threads while the calling thread reads and writes them, and
/// hands every batch to `write` in the order `read` produced it — so a parallel stream gives
/// byte for byte the output of a sequential one.
///
/// - `bool read(Batch&)` fills a batch; false when there is nothing more. Batches are reused
///   once written (so their storage is), so `read` must reset whatever it fills.
/// - `void work(Batch&, std::size_t worker)` runs on a worker thread; it must only touch its
///   batch, shared read-only state and state of its own worker (numbered 0 to jobs - 1: each
///   number is one thread, so per-worker state needs no lock). An exception it throws is carried to
///   the calling thread and rethrown when that batch's turn to be written comes.
/// - `bool write(Batch&)` runs on the calling thread, in order; false stops the run (a closed
///   output): nothing more is read, and batches already handed out are dropped.
///
/// At most `jobs * 2` batches exist at once, so memory does not grow with the input; a slow
/// batch holds back the output, not the workers, until that bound is reached.
template <typename Batch, typename Read, typename Work, typename Write>
void RunOrdered(std::size_t jobs, Read&& read, Work&& work, Write&& write) {
  struct Slot {
    Batch batch;
    bool done = false;
    std::exception_ptr error;
  };
  std::mutex mutex;
  std::condition_variable work_ready, slot_done;
  std::deque<Slot*> queue;  // handed out, not yet taken by a worker
  bool closing = false;

  auto worker = [&](std::size_t number) {
    while (true) {
      Slot* slot;
      {
        std::unique_lock<std::mutex> lock(mutex);
        work_ready.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) return;
        slot = queue.front();
        queue.pop_front();
      }
      try {
        work(slot->batch, number);
      } catch (...) {
        slot->error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        slot->done = true;
      }
      slot_done.notify_all();
    }
  };

  std::vector<std::thread> threads;
  // Joins the workers however this function is left: a std::thread still joinable when it is
  // destroyed would terminate the process.
  struct Joiner {
    std::mutex& mutex;
    std::condition_variable& work_ready;
    std::deque<Slot*>& queue;
    bool& closing;
    std::vector<std::thread>& threads;
    ~Joiner() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        closing = true;
        queue.clear();  // what no worker has taken is not worth doing any more
      }
      work_ready.notify_all();
      for (std::thread& t : threads) t.join();
    }
  };
  std::vector<std::unique_ptr<Slot>> spare;     // written, for the next read to reuse
  std::deque<std::unique_ptr<Slot>> in_flight;  // in input order; declared before the joiner,
  Joiner joiner{mutex, work_ready, queue, closing, threads};  // so it outlives the workers
  for (std::size_t i = 0; i < jobs; ++i) threads.emplace_back(worker, i);

  // Writes the oldest batch once it is done; false when the writer wants to stop.
  auto write_front = [&]() -> bool {
    Slot* front = in_flight.front().get();
    {
      std::unique_lock<std::mutex> lock(mutex);
      slot_done.wait(lock, [&] { return front->done; });
    }
    if (front->error) std::rethrow_exception(front->error);
    const bool go_on = write(front->batch);
    spare.push_back(std::move(in_flight.front()));
    in_flight.pop_front();
    return go_on;
  };

  while (true) {
    if (in_flight.size() >= jobs * 2 && !write_front()) return;
    std::unique_ptr<Slot> slot;
    if (spare.empty()) {
      slot = std::make_unique<Slot>();
    } else {
      slot = std::move(spare.back());
      spare.pop_back();
      slot->done = false;
      slot->error = nullptr;
    }
    if (!read(slot->batch)) break;
    {
      std::lock_guard<std::mutex> lock(mutex);
      queue.push_back(slot.get());
    }
    in_flight.push_back(std::move(slot));
    work_ready.notify_one();
  }
  while (!in_flight.empty()) {
    if (!write_front()) return;
  }
}

}  // namespace imgvisa
