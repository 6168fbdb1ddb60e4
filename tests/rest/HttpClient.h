#pragma once
// A blocking HTTP/1.1 client for the REST tests: one request on a fresh connection to
// 127.0.0.1, the whole reply (status, headers in the order sent, body) returned. The
// target is sent exactly as given, so tests can send what a browser or grafana-pcp
// would, including over-long URLs.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <sstream>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace sextant::test {

struct HttpReply {
  int status = 0;  // 0: no reply at all (see error)
  QByteArray reason;  // the status line's words ("Bad Request")
  QList<QPair<QByteArray, QByteArray>> headers;
  QByteArray body;
  QString error;

  // The first header of that name (case-insensitive), or a null array.
  QByteArray header(const QByteArray& name) const {
    for (const auto& [key, value] : headers)
      if (key.compare(name, Qt::CaseInsensitive) == 0) return value;
    return {};
  }
  bool hasHeader(const QByteArray& name) const { return !header(name).isNull(); }
  // The media type without parameters: "application/json" for "application/json; charset=utf-8".
  QByteArray mediaType() const { return header("Content-Type").split(';').first().trimmed(); }
  // The names of the headers, lower case and sorted, but for how the body's length is
  // told (a Content-Length, or chunks for pmproxy's longer replies).
  QByteArray headerNames() const {
    QList<QByteArray> names;
    for (const auto& [key, value] : headers)
      if (auto k = key.toLower(); k != "content-length" && k != "transfer-encoding") names << k;
    std::sort(names.begin(), names.end());
    return names.join(", ");
  }
  // Every Access-Control-* header as "Name: value" lines, sorted by name, for comparisons.
  QByteArray corsHeaders() const {
    QList<QByteArray> lines;
    for (const auto& [key, value] : headers)
      if (key.toLower().startsWith("access-control-")) lines << key.toLower() + ": " + value;
    std::sort(lines.begin(), lines.end());
    return lines.join('\n');
  }
  // One line for failure messages.
  QString summary() const {
    if (status == 0) return "no reply: " + error;
    return QString("%1 %2, %3 bytes: %4")
        .arg(status)
        .arg(QString::fromUtf8(header("Content-Type")))
        .arg(body.size())
        .arg(QString::fromUtf8(body.left(600)));
  }
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

inline HttpReply httpRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                             const HttpHeaders& headers = {}, const QByteArray& body = {}) {
  HttpReply reply;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method.toStdString(), target.toStdString(), Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [key, value] : headers) request.add(key.toStdString(), value.toStdString());
    if (!body.isEmpty() || method == "POST") request.setContentLength(body.size());
    std::ostream& out = session.sendRequest(request);
    out.write(body.constData(), body.size());
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    reply.status = static_cast<int>(response.getStatus());
    reply.reason = QByteArray::fromStdString(response.getReason());
    for (const auto& [key, value] : response) reply.headers.append({QByteArray::fromStdString(key), QByteArray::fromStdString(value)});
    if (method != "HEAD") {  // a HEAD reply announces a body it does not send
      std::ostringstream text;
      Poco::StreamCopier::copyStream(in, text);
      reply.body = QByteArray::fromStdString(text.str());
    }
  } catch (const Poco::Exception& e) {
    reply.error = QString::fromStdString(e.displayText());
  } catch (const std::exception& e) {
    reply.error = e.what();
  }
  return reply;
}

// A request written by the caller (request line, headers, blank line) and sent in one
// write. pmproxy 6.0.3 tests the URL length per piece its parser is handed, so an
// over-long URL is refused with 414 only when it arrives in one read.
inline HttpReply httpRaw(quint16 port, const QByteArray& request) {
  HttpReply reply;
  try {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(60, 0));
    if (socket.sendBytes(request.constData(), static_cast<int>(request.size())) != request.size())
      throw Poco::IOException("short write");
    Poco::Net::SocketStream in(socket);
    Poco::Net::HTTPResponse response;
    response.read(in);
    reply.status = static_cast<int>(response.getStatus());
    reply.reason = QByteArray::fromStdString(response.getReason());
    for (const auto& [key, value] : response) reply.headers.append({QByteArray::fromStdString(key), QByteArray::fromStdString(value)});
    if (response.hasContentLength()) {
      std::string body(static_cast<std::size_t>(response.getContentLength64()), '\0');
      in.read(body.data(), static_cast<std::streamsize>(body.size()));
      reply.body = QByteArray::fromStdString(body);
    }
  } catch (const Poco::Exception& e) {
    reply.error = QString::fromStdString(e.displayText());
  }
  return reply;
}

inline HttpReply httpGet(quint16 port, const QByteArray& target, const HttpHeaders& headers = {}) {
  return httpRequest(port, "GET", target, headers);
}

}  // namespace sextant::test
