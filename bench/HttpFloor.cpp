// The floor under any HTTP server on this machine: answers every request on 127.0.0.1
// with the same fixed reply, about the size of a five-metric fetch, doing no other work.
// bench/rest-bench.sh drives it with wrk like the real servers, so the table shows how
// much of a request's time is the loopback round trip itself.
//
// Usage: http_floor PORT   (runs until killed)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

std::string reply() {
  std::string body = "{\"values\":[";
  while (body.size() < 600) body += "{\"instance\":null,\"value\":12345678},";
  body.back() = ']';
  body += "}\r\n";
  return "HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// One connection: a reply for every request head (up to a blank line) that arrives.
void serve(int fd, const std::string& answer) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string pending;
  char buf[8192];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    for (auto end = pending.find("\r\n\r\n"); end != std::string::npos; end = pending.find("\r\n\r\n")) {
      pending.erase(0, end + 4);
      if (send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) {
        close(fd);
        return;
      }
    }
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: http_floor PORT\n");
    return 2;
  }
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener, 512) != 0) {
    std::perror("http_floor: cannot listen");
    return 1;
  }
  const std::string answer = reply();
  for (;;) {
    const int fd = accept(listener, nullptr, nullptr);
    if (fd >= 0) std::thread(serve, fd, std::cref(answer)).detach();
  }
}
