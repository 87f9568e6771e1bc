#include "uplift/simulate/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/retail_files.hpp"

namespace uplift::simulate {

namespace fs = std::filesystem;

namespace {

/// Blocks are made by `makers` threads in any order and written by the calling thread in block order:
/// one fan-out of core/parallel.hpp whose part 0 (the calling thread) writes and whose parts 1..makers
/// make. At most `window` blocks wait in memory, so memory stays bounded whatever the client count.
class OrderedBlocks {
public:
    OrderedBlocks(const BlockMaker& maker, std::size_t makers)
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

    const BlockMaker& maker_;
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

}  // namespace

std::int32_t parse_cutoff(const std::string& text, const std::string& flag) {
    std::int32_t days = 0;
    if (!io::parse_date(text, days)) {
        throw UsageError(fmt::format("{} '{}' is not a date; expected YYYY-MM-DD, e.g. 2019-03-19", flag, text));
    }
    return days;
}

SimulateResult simulate_retail(const SimulateOptions& o) {
    if (o.clients < 1 || o.clients > max_clients) {
        throw UsageError(fmt::format("--clients {} is out of range; expected 1 to {}", o.clients, max_clients));
    }
    io::AtomicOutput out(o.out, o.overwrite, io::OutputShape::Folder);
    const fs::path tmp = out.temp_path();
    io::create_directories(tmp, o.out);

    SimulateResult result;
    // X5 proportions: ~43k products and a store per ~60 clients; small runs get smaller catalogues.
    result.products = static_cast<std::int64_t>(std::clamp<std::uint64_t>(o.clients / 8, 200, 43038));
    result.stores = static_cast<std::int64_t>(std::clamp<std::uint64_t>(o.clients / 60, 10, 7000));

    const IdCoder ids(o.seed);
    const RetailCalendar calendar(o.cutoff, o.history_days, 595);  // cards issued from 2017-04-04 in X5
    const ProductCatalogue products(static_cast<std::size_t>(result.products), o.seed);
    const RetailModel model(o.model, calendar, products, static_cast<std::uint32_t>(result.stores));
    const BlockMaker maker(model, calendar, ids, o.seed, o.clients, o.dirty);

    {
        io::FileWriter file(tmp / "products.csv");
        std::string text = products_header;
        products.append_csv(text, ids);
        file.write(text);
        file.close();
    }
    io::FileWriter clients(tmp / "clients.csv");
    io::FileWriter purchases(tmp / "purchases.csv");
    io::FileWriter campaign(tmp / "campaign.csv");
    io::FileWriter truth(tmp / "truth.csv");
    clients.write(clients_header);
    purchases.write(purchases_header);
    campaign.write(campaign_header);
    truth.write(truth_header);
    const std::size_t makers =
        std::clamp<std::size_t>(thread_limit(o.threads), 1, static_cast<std::size_t>(maker.block_count()));
    {
        OrderedBlocks blocks(maker, makers);
        std::uint64_t done = 0;
        blocks.run([&](const BlockText& block) {
            clients.write(block.clients);
            purchases.write(block.purchases);
            campaign.write(block.campaign);
            truth.write(block.truth);
            result.counts.add(block.counts);
            if (o.progress) o.progress(++done, maker.block_count());
        });
    }
    clients.close();
    purchases.close();
    campaign.close();
    truth.close();

    if (o.format == TableFormat::Parquet) {
        convert_to_parquet(tmp,
                           {{"clients", clients_header}, {"products", products_header},
                            {"purchases", purchases_header}, {"campaign", campaign_header}},
                           o.threads);
    }
    result.summary_json = summary_json(o, result);
    {
        io::FileWriter file(tmp / "simulate.json");
        file.write(result.summary_json);
        file.close();
    }
    out.commit();
    return result;
}

}  // namespace uplift::simulate
