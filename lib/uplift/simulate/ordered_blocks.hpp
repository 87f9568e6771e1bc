#pragma once
/// Internal to simulate: blocks of clients made on several threads and written in block order, so the
/// files are the same bytes at any --threads. `Maker` has block_count() and make(block, BlockText&).

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "uplift/core/parallel.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/simulate/retail_block.hpp"

namespace uplift::simulate {

/// Blocks are made by `makers` threads in any order and written by the calling thread in block order:
/// one fan-out of core/parallel.hpp whose part 0 (the calling thread) writes and whose parts 1..makers
/// make. At most `window` blocks wait in memory, so memory stays bounded whatever the client count.
template <class Maker>
class OrderedBlocks {
public:
    OrderedBlocks(const Maker& maker, std::size_t makers)
        : maker_(maker), makers_(makers), window_(2 * makers + 2), slots_(window_), ready_(window_, false) {}
    OrderedBlocks(const OrderedBlocks&) = delete;
    OrderedBlocks& operator=(const OrderedBlocks&) = delete;

    /// Calls consume(text) for every block in order; rethrows a maker's exception or consume's.
    template <class Consume>
    void run(Consume&& consume) {
        // Every part needs a thread of its own: a maker waits for the writer to free a slot.
        for_each_part(makers_ + 1, makers_ + 1, [&](std::size_t part) {
            if (part == 0) {
                write_in_order(consume);
            } else {
                make();
            }
        });
    }

private:
    /// Stops the makers when the writer leaves, finished or failing (else they would wait for it forever).
    struct StopMakers {
        OrderedBlocks& blocks;
        ~StopMakers() {
            {
                std::lock_guard lock(blocks.mutex_);
                blocks.stop_ = true;
            }
            blocks.changed_.notify_all();
        }
    };

    template <class Consume>
    void write_in_order(Consume& consume) {
        const StopMakers stop{*this};
        for (std::uint64_t b = 0; b < maker_.block_count(); ++b) {
            const std::size_t slot = b % window_;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return ready_[slot] || error_; });
                if (error_) std::rethrow_exception(error_);
            }
            consume(slots_[slot]);
            {
                std::lock_guard lock(mutex_);
                ready_[slot] = false;
                ++next_write_;
            }
            changed_.notify_all();
        }
    }

    /// A maker's loop. Its exception is handed to the writer (which rethrows it) rather than thrown here,
    /// so the writer wakes up instead of waiting for a block that will never come.
    void make() {
        for (;;) {
            std::uint64_t b = 0;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return stop_ || error_ || next_claim_ >= maker_.block_count() ||
                                                 next_claim_ < next_write_ + window_; });
                if (stop_ || error_ || next_claim_ >= maker_.block_count()) return;
                b = next_claim_++;
            }
            try {
                maker_.make(b, slots_[b % window_]);
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!error_) error_ = std::current_exception();
            }
            {
                std::lock_guard lock(mutex_);
                ready_[b % window_] = true;
            }
            changed_.notify_all();
        }
    }

    const Maker& maker_;
    std::size_t makers_;
    std::size_t window_;
    std::vector<BlockText> slots_;
    std::vector<bool> ready_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t next_claim_ = 0;
    std::uint64_t next_write_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
};


/// Writes clients.csv, purchases.csv, campaign.csv and truth.csv into `dir` from `maker`'s blocks, made on
/// up to `threads` threads and written in block order; returns the counts summed over the blocks.
template <class Maker>
BlockCounts write_block_tables(const std::filesystem::path& dir, const Maker& maker, int threads,
                               const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    io::FileWriter clients(dir / "clients.csv");
    io::FileWriter purchases(dir / "purchases.csv");
    io::FileWriter campaign(dir / "campaign.csv");
    io::FileWriter truth(dir / "truth.csv");
    clients.write(clients_header);
    purchases.write(purchases_header);
    campaign.write(campaign_header);
    truth.write(truth_header);
    BlockCounts counts;
    const std::size_t makers =
        std::clamp<std::size_t>(thread_limit(threads), 1, static_cast<std::size_t>(std::max<std::uint64_t>(maker.block_count(), 1)));
    {
        OrderedBlocks<Maker> blocks(maker, makers);
        std::uint64_t done = 0;
        blocks.run([&](const BlockText& block) {
            clients.write(block.clients);
            purchases.write(block.purchases);
            campaign.write(block.campaign);
            truth.write(block.truth);
            counts.add(block.counts);
            if (progress) progress(++done, maker.block_count());
        });
    }
    clients.close();
    purchases.close();
    campaign.close();
    truth.close();
    return counts;
}

}  // namespace uplift::simulate
