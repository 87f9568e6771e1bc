#include "uplift/simulate/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/retail_files.hpp"

namespace uplift::simulate {

namespace fs = std::filesystem;

namespace {

/// Blocks are made by `workers` threads in any order and written by the calling thread in block order.
/// At most `window` blocks wait in memory, so memory stays bounded whatever the client count.
class OrderedBlocks {
public:
    OrderedBlocks(const BlockMaker& maker, std::size_t workers) : maker_(maker), window_(2 * workers + 2), slots_(window_),
                                                                  ready_(window_, false) {
        for (std::size_t w = 0; w < workers; ++w) threads_.emplace_back([this] { work(); });
    }
    ~OrderedBlocks() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        for (auto& t : threads_) t.join();
    }
    OrderedBlocks(const OrderedBlocks&) = delete;
    OrderedBlocks& operator=(const OrderedBlocks&) = delete;

    /// Calls consume(text) for every block in order; rethrows a worker's exception.
    template <class Consume>
    void drain(Consume&& consume) {
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

private:
    void work() {
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
    std::size_t window_;
    std::vector<BlockText> slots_;
    std::vector<bool> ready_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t next_claim_ = 0;
    std::uint64_t next_write_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
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
    io::AtomicOutput out(o.out, o.overwrite);
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
    const std::size_t requested = o.threads > 0 ? static_cast<std::size_t>(o.threads) : std::thread::hardware_concurrency();
    const std::size_t workers = std::clamp<std::size_t>(requested, 1, static_cast<std::size_t>(maker.block_count()));
    {
        OrderedBlocks blocks(maker, workers);
        std::uint64_t done = 0;
        blocks.drain([&](const BlockText& block) {
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
