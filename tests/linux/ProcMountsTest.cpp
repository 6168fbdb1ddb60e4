// parseMounts on recorded files and hand-made lines: octal escapes, read-only
// options, which mounts are file systems, and malformed lines.
#include <QtTest>

#include "backends/linux/LinuxContext.h"
#include "backends/linux/ProcMounts.h"

using namespace sextant::linuxbe;

class ProcMountsTest : public QObject {
  Q_OBJECT
 private slots:
  void recorded_data() {
    QTest::addColumn<QString>("fixtureCase");
    QTest::addColumn<int>("mounts");
    QTest::addColumn<QStringList>("blockDevices");  // in file order, duplicates kept
    QTest::addColumn<int>("index");                 // an entry to check in detail
    QTest::addColumn<QString>("mountDir");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("vm-2cpu") << "vm-2cpu" << 19 << QStringList{"/dev/vda"} << 5 << "/" << "ext4" << false;
    QTest::newRow("server-64cpu") << "server-64cpu" << 9
                                  << QStringList{"/dev/mapper/vg0-root", "/dev/nvme0n1p1", "/dev/md0", "/dev/md0"} << 4
                                  << "/boot/efi" << "vfat" << false;
    QTest::newRow("arm-8cpu blank in path") << "arm-8cpu" << 6
                                            << QStringList{"/dev/root", "/dev/mmcblk0p1", "/dev/sda1"} << 4
                                            << "/media/pi/My Passport" << "exfat" << false;
    QTest::newRow("arm-8cpu read-only") << "arm-8cpu" << 6 << QStringList{"/dev/root", "/dev/mmcblk0p1", "/dev/sda1"}
                                        << 3 << "/boot" << "vfat" << true;
  }
  void recorded() {
    QFETCH(QString, fixtureCase);
    QFETCH(int, mounts);
    QFETCH(QStringList, blockDevices);
    QFETCH(int, index);
    QFETCH(QString, mountDir);
    QFETCH(QString, type);
    QFETCH(bool, readOnly);
    auto text = readFile(std::string(SEXTANT_FIXTURES) + "/linux/" + fixtureCase.toStdString() + "/proc/mounts");
    QVERIFY(text);
    MountsSnapshot s = parseMounts(*text);
    QCOMPARE(s.badLines, std::size_t(0));
    QCOMPARE(int(s.mounts.size()), mounts);
    QStringList devs;
    for (const auto& m : s.mounts)
      if (isBlockDeviceMount(m)) devs << QString::fromStdString(m.device);
    QCOMPARE(devs, blockDevices);
    const MountEntry& m = s.mounts.at(std::size_t(index));
    QCOMPARE(QString::fromStdString(m.mountDir), mountDir);
    QCOMPARE(QString::fromStdString(m.type), type);
    QCOMPARE(m.readOnly, readOnly);
  }

  void escapes_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("decoded");
    QTest::newRow("space") << "/mnt/a\\040b" << "/mnt/a b";
    QTest::newRow("tab") << "/mnt/a\\011b" << "/mnt/a\tb";
    QTest::newRow("newline") << "/mnt/a\\012b" << "/mnt/a\nb";
    QTest::newRow("backslash") << "/mnt/a\\134b" << "/mnt/a\\b";
    QTest::newRow("two") << "\\040\\040" << "  ";
    QTest::newRow("short escape kept") << "/mnt/a\\04" << "/mnt/a\\04";
    QTest::newRow("non-octal kept") << "/mnt/a\\089" << "/mnt/a\\089";
    QTest::newRow("too large kept") << "/mnt/\\777" << "/mnt/\\777";
    QTest::newRow("trailing backslash") << "/mnt/a\\" << "/mnt/a\\";
    QTest::newRow("plain") << "/srv" << "/srv";
  }
  void escapes() {
    QFETCH(QString, raw);
    QFETCH(QString, decoded);
    QCOMPARE(QString::fromStdString(decodeMountEscapes(raw.toStdString())), decoded);
  }

  void lines_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("mounts");
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("ro first") << "/dev/sda1 /a ext4 ro,relatime 0 0" << 1 << true;
    QTest::newRow("ro last") << "/dev/sda1 /a ext4 relatime,ro 0 0" << 1 << true;
    QTest::newRow("rw") << "/dev/sda1 /a ext4 rw,relatime 0 0" << 1 << false;
    QTest::newRow("option that starts with ro") << "/dev/sda1 /a ext4 rw,rootcontext=x 0 0" << 1 << false;
    QTest::newRow("no dump and pass") << "/dev/sda1 /a ext4 ro" << 1 << true;
    QTest::newRow("three fields") << "/dev/sda1 /a ext4" << 0 << false;
    QTest::newRow("one field") << "garbage" << 0 << false;
  }
  void lines() {
    QFETCH(QString, line);
    QFETCH(int, mounts);
    QFETCH(bool, readOnly);
    MountsSnapshot s = parseMounts(line.toStdString() + "\n");
    QCOMPARE(int(s.mounts.size()), mounts);
    QCOMPARE(int(s.badLines), 1 - mounts);
    if (mounts) QCOMPARE(s.mounts[0].readOnly, readOnly);
  }
};

QTEST_GUILESS_MAIN(ProcMountsTest)
#include "ProcMountsTest.moc"
