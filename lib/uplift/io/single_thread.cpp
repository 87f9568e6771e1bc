#include "uplift/io/single_thread.hpp"

#include <fmt/format.h>

namespace uplift::io {

SingleThreaded::SingleThreaded(Session& session) : session_(session) {
    threads_ = static_cast<std::int64_t>(
        session_.query("SELECT current_setting('threads') AS n").column("n").number_at(0));
    session_.execute("SET threads = 1");
}

SingleThreaded::~SingleThreaded() {
    try {
        session_.execute(fmt::format("SET threads = {}", threads_));
    } catch (...) {  // a destructor must not throw; the session is left on one thread, slower but correct
    }
}

}  // namespace uplift::io
