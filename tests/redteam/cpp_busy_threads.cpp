// expect: time_limit  -- 8 threads spinning on 2 cores: the cgroup's CPU time (all threads) is over the limit early
#include <thread>
#include <vector>
int main() {
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; i++)
        threads.emplace_back([] { volatile unsigned long long x = 0; for (;;) x++; });
    for (auto &t : threads) t.join();
}
