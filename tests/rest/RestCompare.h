#pragma once
// One REST server under test (pmproxy or sextantd) and the comparison of two servers'
// replies to the same request: status, media type, Access-Control-* headers and, for
// JSON, the body's shape (JsonShape.h). Request targets are written once, with
// placeholders that each side fills in: {ctx} its context id, {host} the hostspec its
// contexts use.
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include "HttpClient.h"
#include "JsonShape.h"

namespace sextant::test {

struct RestSide {
  QString name;  // "pmproxy", "sextantd"
  quint16 port = 0;
  QString host;  // hostspec for new contexts
  QString ctx;   // a context made with a long polltimeout

  QByteArray expand(QString target) const {
    return target.replace("{ctx}", ctx).replace("{host}", host).toUtf8();
  }
  HttpReply get(const QString& target, const HttpHeaders& headers = {}) const {
    return httpRequest(port, "GET", expand(target), headers);
  }
  HttpReply request(const QByteArray& method, const QString& target, const HttpHeaders& headers = {},
                    const QByteArray& body = {}) const {
    return httpRequest(port, method, expand(target), headers, body);
  }
  // A new context on this side's host; its id, or empty with `error` set.
  QString newContext(const QString& polltimeout, QString* error) const {
    const HttpReply r = get("/pmapi/context?hostspec={host}&polltimeout=" + polltimeout);
    const QJsonValue id = QJsonDocument::fromJson(r.body).object().value("context");
    if (r.status != 200 || !id.isDouble()) {
      *error = name + " made no context: " + r.summary();
      return {};
    }
    return QString::number(id.toInteger());
  }
};

// A request target short enough for a failure message (QtTest cuts long ones).
inline QString brief(const QString& target) {
  return target.size() <= 160 ? target : target.left(120) + QString("... (%1 bytes)").arg(target.size());
}

// The JSON object of a reply's body (empty when the body is not a JSON object).
inline QJsonObject jsonObject(const HttpReply& r) { return QJsonDocument::fromJson(r.body).object(); }

// What is wrong with a reply as the spec describes it: the status, the media type and,
// for a JSON error body, the "message": compared whole; "..." at either end of
// `message` lets anything stand there. Empty when all agree.
inline QString expectReply(const HttpReply& r, const QString& who, int status, const QByteArray& mediaType,
                           const QString& message = {}) {
  const QString head = brief(who) + ": ";
  if (r.status != status) return head + QString("status %1, expected %2; %3").arg(r.status).arg(status).arg(r.summary());
  if (r.mediaType() != mediaType)
    return head + "Content-Type " + QString::fromUtf8(r.header("Content-Type")) + ", expected " + mediaType + "; " +
           r.summary();
  if (message.isEmpty()) return {};
  const QString got = jsonObject(r).value("message").toString();
  QString want = message;
  const bool anyStart = want.startsWith("..."), anyEnd = want.endsWith("...");
  if (anyStart) want.remove(0, 3);
  if (anyEnd) want.chop(3);
  const qsizetype where = got.indexOf(want);
  if (where < 0 || (!anyStart && where != 0) || (!anyEnd && where + want.size() != got.size()))
    return head + "message \"" + got + "\", expected \"" + message + "\"; " + r.summary();
  if (jsonObject(r).value("success") != QJsonValue(false)) return head + "error body without \"success\":false; " + r.summary();
  return {};
}

// Differences between two replies to the same request; empty when they agree on
// status and its words, the headers sent, media type, CORS headers and (JSON) body shape.
inline QString compareReplies(const HttpReply& expected, const HttpReply& actual, const QString& target,
                              const ShapeOptions& options = {}) {
  QStringList d;
  if (actual.status == 0) return brief(target) + ": " + options.actualName + " did not answer: " + actual.error;
  if (expected.status != actual.status)
    d << QString("status %1 from %2, %3 from %4").arg(expected.status).arg(options.expectedName).arg(actual.status).arg(options.actualName);
  else if (expected.reason != actual.reason)
    d << QString("status %1 \"%2\" from %3, \"%4\" from %5")
             .arg(expected.status)
             .arg(QString::fromUtf8(expected.reason), options.expectedName, QString::fromUtf8(actual.reason),
                  options.actualName);
  if (expected.headerNames() != actual.headerNames())
    d << QString("headers \"%1\" from %2, \"%3\" from %4")
             .arg(QString::fromUtf8(expected.headerNames()), options.expectedName,
                  QString::fromUtf8(actual.headerNames()), options.actualName);
  if (expected.mediaType() != actual.mediaType())
    d << QString("Content-Type \"%1\" from %2, \"%3\" from %4")
             .arg(QString::fromUtf8(expected.header("Content-Type")), options.expectedName,
                  QString::fromUtf8(actual.header("Content-Type")), options.actualName);
  if (expected.corsHeaders() != actual.corsHeaders())
    d << QString("CORS headers differ:\n  %1: %2\n  %3: %4")
             .arg(options.expectedName, QString::fromUtf8(expected.corsHeaders()).replace('\n', " | "), options.actualName,
                  QString::fromUtf8(actual.corsHeaders()).replace('\n', " | "));
  if (d.isEmpty() && expected.mediaType() == "application/json") d << compareJsonShapes(expected.body, actual.body, options);
  if (d.isEmpty()) return {};
  return brief(target) + ":\n  " + d.join("\n  ") + "\n  " + options.actualName + " sent: " + actual.summary();
}

// The Open Metrics text's families as "TYPE name kind" and "HELP name" lines, and
// one "SAMPLE name labelcount" line per sample with its label names sorted: the shape
// of a scrape, whatever the values.
inline QStringList openMetricsShape(const QByteArray& text) {
  QStringList shape;
  // Plain literals: moc reads this header and misparses raw strings with quotes in them.
  static const QRegularExpression sample("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( \\d+)?$");
  static const QRegularExpression labelName("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  for (const QString& line : QString::fromUtf8(text).split('\n', Qt::SkipEmptyParts)) {
    if (line.startsWith("# TYPE ")) shape << "TYPE " + line.mid(7);
    else if (line.startsWith("# HELP ")) shape << "HELP " + line.mid(7).section(' ', 0, 0);
    else if (line.startsWith('#')) continue;
    else if (auto m = sample.match(line); m.hasMatch()) {
      QStringList names;
      for (auto it = labelName.globalMatch(m.captured(3)); it.hasNext();) names << it.next().captured(1);
      names.sort();
      shape << "SAMPLE " + m.captured(1) + "{" + names.join(',') + "}";
    } else {
      shape << "BAD LINE " + line;
    }
  }
  shape.sort();
  return shape;
}

}  // namespace sextant::test

namespace sextant::test {

// Lines of `a` missing from `b` ("- ...") and of `b` missing from `a` ("+ ..."), each
// counted as often as it occurs: the difference of two openMetricsShape() lists.
inline QStringList lineDifferences(QStringList a, QStringList b) {
  QStringList out;
  for (const QString& line : QStringList(a))
    if (b.removeOne(line)) a.removeOne(line);
  for (const QString& line : a) out << "- " + line;
  for (const QString& line : b) out << "+ " + line;
  return out;
}

}  // namespace sextant::test
