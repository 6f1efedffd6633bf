// expect: correct  -- TCP to the runner's loopback listener and to public IPs, the runner's abstract unix socket, UDP out; NET if anything connects
#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static bool tcp(const char *ip, int port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, ip, &addr.sin_addr);
    if (connect(s, (sockaddr *)&addr, sizeof addr) == 0) return true;
    if (errno != EINPROGRESS) return false;
    pollfd p = {s, POLLOUT, 0};
    if (poll(&p, 1, 500) != 1) return false;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
    return err == 0;
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string worked;
    if (tcp("127.0.0.1", @@PORT@@)) worked += " loopback";
    if (tcp("1.1.1.1", 53)) worked += " 1.1.1.1";
    if (tcp("8.8.8.8", 443)) worked += " 8.8.8.8";
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    const char name[] = "@@ABSTRACT@@";
    memcpy(un.sun_path + 1, name, strlen(name));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(s, (sockaddr *)&un, offsetof(sockaddr_un, sun_path) + 1 + strlen(name)) == 0) worked += " abstract";
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in dns{};
    dns.sin_family = AF_INET;
    dns.sin_port = htons(53);
    inet_pton(AF_INET, "1.1.1.1", &dns.sin_addr);
    if (sendto(u, "x", 1, 0, (sockaddr *)&dns, sizeof dns) == 1) worked += " udp";
    if (worked.empty()) printf("%lld\n", a + b);
    else printf("NET%s\n", worked.c_str());
}
