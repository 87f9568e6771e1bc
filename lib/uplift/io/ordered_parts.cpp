#include "uplift/io/ordered_parts.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/free_memory.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/parquet_concat.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

/// Both ends of a pipe, closed when it goes.
struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw IoError(fmt::format("cannot make a pipe: {}", std::strerror(errno)));
        read = fds[0];
        write = fds[1];
        ::fcntl(write, F_SETPIPE_SZ, 1 << 20);  // fewer wake-ups per part; the default 64 KiB works too
    }
    ~Pipe() {
        close_write();
        if (read >= 0) ::close(read);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_write() {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

/// The bytes `copy` writes, taken from a pipe that a second thread drains into `bytes` (emptied first, its
/// capacity kept).
void copy_through_pipe(Session& session, const OrderedParts::Copy& copy, std::string& bytes) {
    Pipe pipe;
    bytes.clear();
    int read_error = 0;
    std::thread drain([&] {
        std::vector<char> buffer(std::size_t{1} << 20);
        while (true) {
            const ssize_t n = ::read(pipe.read, buffer.data(), buffer.size());
            if (n > 0) {
                bytes.append(buffer.data(), static_cast<std::size_t>(n));
            } else if (n == 0) {
                return;
            } else if (errno != EINTR) {
                read_error = errno;
                return;
            }
        }
    });
    // DuckDB opens the path as a file; /proc/self/fd/N opens the pipe's write end anew. It is no regular file, so
    // DuckDB writes it in place rather than through a temporary file and a rename.
    try {
        copy(session, fmt::format("/proc/self/fd/{}", pipe.write));
    } catch (...) {
        pipe.close_write();  // the drain sees the end once DuckDB's own handle is closed too
        drain.join();
        throw;
    }
    pipe.close_write();
    drain.join();
    if (read_error != 0) {
        throw IoError(fmt::format("cannot read a Parquet part from its pipe: {}", std::strerror(read_error)));
    }
}

/// copy_through_pipe through the scratch file `file`, read back whole.
void copy_through_file(Session& session, const fs::path& file, const OrderedParts::Copy& copy, std::string& bytes) {
    const ScratchPath scratch(file);
    copy(session, file.string());
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    if (!in.eof() && in.fail()) throw IoError(fmt::format("cannot read '{}'", file.string()));
}

struct Job {
    std::size_t index = 0;
    OrderedParts::Copy copy;
};

}  // namespace

PartRoute default_part_route() {
    static const bool pipes = fs::exists("/proc/self/fd");
    return pipes ? PartRoute::Pipe : PartRoute::File;
}

struct OrderedParts::Impl {
    fs::path output;
    fs::path shown;
    Options options;
    std::size_t workers = 1;
    std::size_t submitted = 0;  ///< parts handed to the workers

    std::mutex mutex;
    std::condition_variable changed;  ///< a job was queued or taken, a part was joined, or the writer stops
    std::deque<Job> queue;
    std::map<std::size_t, std::string> encoded;  ///< parts written by a worker, waiting for the ones before
    /// Buffers of parts already joined, for the next parts: a part's bytes (about 10 MB) are not allocated anew.
    std::vector<std::string> spare;
    std::size_t joined = 0;  ///< parts in the file so far
    std::size_t busy = 0;    ///< parts a worker has taken and not yet handed on
    bool joining = false;    ///< a worker is writing parts into the file
    bool stopping = false;
    std::exception_ptr error;  ///< the first part that failed
    std::optional<ParquetJoin> join;
    std::vector<std::thread> threads;

    /// The error of a failed part, said with the user's name of the file when it is one of ours (a full disk).
    std::exception_ptr described(std::exception_ptr failure) const {
        try {
            std::rethrow_exception(failure);
        } catch (const Error& e) {
            try {
                throw_error(e.kind(), fmt::format("cannot write '{}': {}", shown.string(), e.what()));
            } catch (...) {
                return std::current_exception();
            }
        } catch (...) {
        }
        return failure;
    }

    /// Writes the encoded parts that are next in order into the file, one worker at a time, outside the lock.
    void join_ready(std::unique_lock<std::mutex>& lock) {
        if (joining) return;
        joining = true;
        while (!error) {
            const auto next = encoded.find(joined);
            if (next == encoded.end()) break;
            std::string bytes = std::move(next->second);
            encoded.erase(next);
            lock.unlock();
            bool added = false;
            std::exception_ptr failure;
            try {
                added = join->add(bytes);
            } catch (...) {
                failure = std::current_exception();
            }
            lock.lock();
            spare.push_back(std::move(bytes));
            if (failure) {
                error = described(failure);
            } else if (!added) {
                error = std::make_exception_ptr(InternalError(
                    fmt::format("a part of '{}' written by DuckDB could not be joined", shown.string())));
            }
            ++joined;
        }
        joining = false;
        changed.notify_all();
    }

    void work(std::size_t worker) {
        const fs::path scratch = options.route == PartRoute::Pipe
                                     ? fs::path()
                                     : fs::path(options.scratch_files.string() + fmt::format(".part-{}", worker));
        std::optional<Session> session;
        while (true) {
            Job job;
            std::string bytes;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) return;
                job = std::move(queue.front());
                queue.pop_front();
                ++busy;
                if (!spare.empty()) {
                    bytes = std::move(spare.back());
                    spare.pop_back();
                }
            }
            changed.notify_all();
            std::exception_ptr failure;
            try {
                if (!session) {
                    session.emplace(options.session ? options.session()
                                                    : Session({.threads = 1, .memory_limit = "1GB"}));  // a cap
                }
                if (scratch.empty()) {
                    copy_through_pipe(*session, job.copy, bytes);
                } else {
                    copy_through_file(*session, scratch, job.copy, bytes);
                }
            } catch (...) {
                failure = std::current_exception();
            }
            job.copy = nullptr;  // what it holds (a chunk's rows) goes now
            // The chunks and DuckDB's buffers are freed on threads other than those that allocated them, and glibc
            // keeps such blocks in its arenas: ingest of 5M rows peaked at 800-940 MB without this, 740-760 MB with
            // it (650-700 MB with the spool this writer replaced), for about 0.2 s.
            give_back_free_memory();
            std::unique_lock lock(mutex);
            if (failure) {
                if (!error) error = described(failure);
                spare.push_back(std::move(bytes));
            } else {
                encoded.emplace(job.index, std::move(bytes));
                join_ready(lock);
            }
            --busy;
            changed.notify_all();
        }
    }

    void rethrow_error() {
        std::lock_guard lock(mutex);
        if (error) std::rethrow_exception(error);
    }

    void submit(Copy copy) {
        // Workers start as parts come: a file of one row group costs one thread and one DuckDB instance.
        if (threads.size() < workers) threads.emplace_back([this, k = threads.size()] { work(k); });
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return submitted - joined < workers + 1 || error; });
            if (error) std::rethrow_exception(error);
            queue.push_back({submitted++, std::move(copy)});
        }
        changed.notify_all();
    }

    /// Waits until every part handed over is in the file, or, after a failure, until no worker holds one.
    void wait_for_parts() {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
            if (error) queue.clear();
            return queue.empty() && busy == 0 && !joining;
        });
    }

    void stop() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        changed.notify_all();
        for (auto& t : threads) t.join();
        threads.clear();
    }
};

OrderedParts::OrderedParts(fs::path output, fs::path shown, Options options) : impl_(std::make_unique<Impl>()) {
    impl_->output = std::move(output);
    impl_->shown = shown.empty() ? impl_->output : std::move(shown);
    impl_->options = std::move(options);
    if (impl_->options.scratch_files.empty()) impl_->options.scratch_files = impl_->output;
    impl_->workers = thread_limit(impl_->options.threads);
    impl_->join.emplace(impl_->output, impl_->shown);
}

OrderedParts::~OrderedParts() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->queue.clear();
    }
    impl_->stop();
}

std::size_t OrderedParts::parts() const noexcept { return impl_->submitted; }

void OrderedParts::submit(Copy copy) {
    impl_->rethrow_error();
    impl_->submit(std::move(copy));
}

void OrderedParts::restart() {
    auto& d = *impl_;
    d.wait_for_parts();
    std::lock_guard lock(d.mutex);
    d.error = nullptr;
    for (auto& [index, bytes] : d.encoded) d.spare.push_back(std::move(bytes));
    d.encoded.clear();
    d.submitted = 0;
    d.joined = 0;
    d.join.reset();
    d.join.emplace(d.output, d.shown);  // the file starts again, empty
}

void OrderedParts::finish(const std::optional<Metadata>& metadata) {
    auto& d = *impl_;
    d.wait_for_parts();
    d.rethrow_error();
    if (!d.join->finish(metadata)) {
        throw InternalError(fmt::format("the parts of '{}' written by DuckDB could not be joined", d.shown.string()));
    }
}

}  // namespace uplift::io
