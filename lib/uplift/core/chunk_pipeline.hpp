#pragma once
/// Works on one chunk while the reader fetches the next, so that DuckDB's scan of an input and our work on
/// the rows already read (scoring, checking, appending to a writer) use the cores at the same time. The chunks
/// are still handled one at a time and in file order (a chunk's task starts only when the one before it has
/// ended), so the output and every count are exactly a sequential loop's. A task must not use the reader's
/// DuckDB session: it runs while the reader fetches.

#include <future>

namespace uplift {

class ChunkPipeline {
public:
    ChunkPipeline() = default;
    ChunkPipeline(const ChunkPipeline&) = delete;
    ChunkPipeline& operator=(const ChunkPipeline&) = delete;
    /// Unwinding past a task still running (the reader threw): it must end before what it refers to goes.
    ~ChunkPipeline() {
        if (pending_.valid()) pending_.wait();
    }

    /// Waits for the task before (rethrowing its error), then starts `task`.
    template <class Task>
    void submit(Task task) {
        finish();
        pending_ = std::async(std::launch::async, std::move(task));
    }
    /// Waits for the last task, rethrowing its error. Called when the reader fails too, it makes the error of
    /// the earlier rows win, as in a sequential loop.
    void finish() {
        if (pending_.valid()) pending_.get();
    }

private:
    std::future<void> pending_;
};

}  // namespace uplift
