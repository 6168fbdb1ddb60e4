// network.interface.*: per-interface traffic from /proc/net/dev and link state from
// /sys/class/net/<interface>/.
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

namespace {

// A traffic counter of /proc/net/dev. Each line there has eight receive columns
// (bytes packets errs drop fifo frame compressed multicast) then eight transmit
// columns (bytes packets errs drop fifo colls carrier compressed).
struct Traffic {
  const char* name;  // below network.interface
  unsigned item;
  Units units;
  const char* oneLine;
  const char* longHelp;
};

constexpr Traffic kTraffic[] = {
    {"collisions", 13, kCount, "transmit collisions",
     "The colls transmit column: frames that collided on a shared medium. Zero on switched and virtual links."},
    {"in.bytes", 0, kByte, "bytes received", "The bytes receive column, including link-layer headers."},
    {"in.packets", 1, kCount, "packets received", "The packets receive column."},
    {"in.errors", 2, kCount, "receive errors", "The errs receive column: bad frames the driver rejected."},
    {"in.drops", 3, kCount, "received packets dropped",
     "The drop receive column: packets that arrived but were discarded, often for lack of buffer space."},
    {"in.fifo", 4, kCount, "receive FIFO overruns", "The fifo receive column: the device's buffer overflowed."},
    {"in.frame", 5, kCount, "receive framing errors",
     "The frame receive column: frames with a bad length, alignment or checksum."},
    {"in.compressed", 6, kCount, "compressed packets received",
     "The compressed receive column; only links that compress, such as old PPP/SLIP, count it."},
    {"in.mcasts", 7, kCount, "multicast packets received", "The multicast receive column."},
    {"out.bytes", 8, kByte, "bytes sent", "The bytes transmit column, including link-layer headers."},
    {"out.packets", 9, kCount, "packets sent", "The packets transmit column."},
    {"out.errors", 10, kCount, "transmit errors", "The errs transmit column."},
    {"out.drops", 11, kCount, "outgoing packets dropped",
     "The drop transmit column: packets discarded before sending, for example by a full queue."},
    {"out.fifo", 12, kCount, "transmit FIFO errors", "The fifo transmit column."},
    {"out.carrier", 14, kCount, "transmit carrier errors",
     "The carrier transmit column: sends that failed because the link had no carrier."},
    {"out.compressed", 15, kCount, "compressed packets sent", "The compressed transmit column."},
    {"total.bytes", 16, kByte, "bytes received and sent", "The bytes receive column plus the bytes transmit column."},
    {"total.packets", 17, kCount, "packets received and sent", "The packets receive plus packets transmit columns."},
    {"total.errors", 18, kCount, "receive and transmit errors", "The errs receive plus errs transmit columns."},
    {"total.drops", 19, kCount, "packets dropped in either direction", "The drop receive plus drop transmit columns."},
    {"total.mcasts", 20, kCount, "multicast packets",
     "The multicast receive column; Linux does not count multicast sent, so this equals in.mcasts."},
};

std::vector<MetricInfo> buildNetworkRows() {
  std::vector<MetricInfo> rows = {
      row("network.interface.mtu", kernelPmid(3, 21), ValueType::U32, kInterfaceInDom, Semantics::Instant, kByte,
          "maximum transmission unit",
          "/sys/class/net/<interface>/mtu: the largest packet the interface sends, in bytes, without "
          "link-layer headers."),
      row("network.interface.speed", kernelPmid(3, 22), ValueType::Float, kInterfaceInDom, Semantics::Discrete,
          kMBytePerSec, "link speed in Mbytes per second",
          "/sys/class/net/<interface>/speed, which the kernel gives in Mbit/s, divided by 8. No value "
          "when the driver does not report a speed, as for loopback and many virtual interfaces."),
      row("network.interface.baudrate", kernelPmid(3, 23), ValueType::U64, kInterfaceInDom, Semantics::Discrete,
          kBytePerSec, "link speed in bytes per second",
          "The same link speed as network.interface.speed, in bytes per second: Mbit/s times 125000."),
      row("network.interface.duplex", kernelPmid(3, 24), ValueType::U32, kInterfaceInDom, Semantics::Discrete,
          kNone, "link duplex: 0 unknown, 1 half, 2 full",
          "/sys/class/net/<interface>/duplex as a number: 1 for \"half\", 2 for \"full\", 0 when "
          "unknown. Half duplex on a modern link usually means a negotiation problem."),
      row("network.interface.up", kernelPmid(3, 25), ValueType::U32, kInterfaceInDom, Semantics::Instant, kNone,
          "1 if the interface is administratively up",
          "The IFF_UP bit of /sys/class/net/<interface>/flags: 1 when the interface has been enabled "
          "(ip link set up), else 0."),
      row("network.interface.running", kernelPmid(3, 26), ValueType::U32, kInterfaceInDom, Semantics::Instant,
          kNone, "1 if the interface is up and has a link",
          "The IFF_RUNNING bit of the interface flags: 1 when it is up and the driver reports a carrier, "
          "so traffic can flow, else 0."),
      row("network.interface.hw_addr", kernelPmid(33, 3), ValueType::String, kNetAddrInDom, Semantics::Discrete,
          kNone, "hardware (MAC) address",
          "/sys/class/net/<interface>/address, as colon-separated hex such as \"02:42:ac:11:00:02\". "
          "Loopback reports all zeros."),
  };
  for (const Traffic& t : kTraffic) {
    rows.push_back(row(std::string("network.interface.") + t.name, kernelPmid(3, t.item), ValueType::U64,
                       kInterfaceInDom, Semantics::Counter, t.units, std::string(t.oneLine) + " per interface",
                       cumulativeSince(std::string(t.longHelp) + " From /proc/net/dev, per interface.",
                                       "the interface appeared")));
  }
  return rows;
}

}  // namespace

const std::vector<MetricInfo>& networkMetrics() {
  static const std::vector<MetricInfo> rows = buildNetworkRows();
  return rows;
}

}  // namespace sextant::catalog
