#pragma once
// Compares the shape of two JSON bodies (pmproxy's and sextantd's answer to the same
// request): keys, value types and nesting, recursively, and the order of object keys,
// which pmproxy keeps fixed (spec 5, 6.2). Values themselves are not compared: two
// servers fetch at different moments. Differences come back as readable lines such as
//   metrics[0].labels: missing key "agent"
//   values[1].instances[0].instance: null from pmproxy, number from sextantd
#include <algorithm>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QStringList>

namespace sextant::test {

struct ShapeOptions {
  QString expectedName = "pmproxy";
  QString actualName = "sextantd";
  bool keyOrder = true;
  // Array elements that are objects are paired by the first of these keys both carry
  // (PMNS traversal and instance order are the server's own, spec 6.2, 6.4); other
  // arrays element by element.
  QStringList pairBy{"name", "instance"};
  // An empty array on one side and a non-empty one on the other is a difference.
  bool emptiness = true;
  // Paths (regular expression on the expected side's path) whose objects may hold
  // different keys, e.g. "labels$" where the two hosts' labels legitimately differ.
  QRegularExpression freeKeys;
  // Keys that either side may leave out, wherever they are.
  QStringList optionalKeys;
};

namespace detail {

// The order of keys of every object in a (valid) JSON text, by path: "" for the
// top level, "metrics[0]", "metrics[0].labels"... QJsonObject sorts its keys, so the
// order is read from the text itself.
class KeyOrderScanner {
 public:
  explicit KeyOrderScanner(const QByteArray& text) : s_(text) { value({}); }
  QHash<QString, QStringList> orders;

 private:
  void blank() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  QString string() {
    const qsizetype start = i_++;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    ++i_;
    const QByteArray quoted = '[' + s_.mid(start, i_ - start) + ']';
    return QJsonDocument::fromJson(quoted).array().at(0).toString();
  }
  void value(const QString& path) {
    blank();
    if (i_ >= s_.size()) return;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      QStringList& keys = orders[path];
      for (blank(); i_ < s_.size() && s_[i_] != '}'; blank()) {
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        const QString key = string();
        keys << key;
        blank();
        ++i_;  // ':'
        value(path.isEmpty() ? key : path + '.' + key);
      }
      ++i_;
    } else if (c == '[') {
      ++i_;
      int n = 0;
      for (blank(); i_ < s_.size() && s_[i_] != ']'; blank()) {
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        value(path + '[' + QString::number(n++) + ']');
      }
      ++i_;
    } else if (c == '"') {
      string();
    } else {
      while (i_ < s_.size() && !QByteArray(",]} \t\r\n").contains(s_[i_])) ++i_;
    }
  }
  const QByteArray& s_;
  qsizetype i_ = 0;
};

inline QString typeName(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "bool";
    case QJsonValue::Double: return "number";
    case QJsonValue::String: return "string";
    case QJsonValue::Array: return "array";
    case QJsonValue::Object: return "object";
    default: return "undefined";
  }
}

class ShapeComparer {
 public:
  ShapeComparer(const ShapeOptions& o, const QByteArray& e, const QByteArray& a)
      : o_(o), orderE_(KeyOrderScanner(e).orders), orderA_(KeyOrderScanner(a).orders) {}
  QStringList diffs;

  void compare(const QJsonValue& e, const QJsonValue& a, const QString& pe, const QString& pa) {
    const QString where = pe.isEmpty() ? "(top)" : pe;
    if (e.type() != a.type()) {
      diffs << QString("%1: %2 from %3, %4 from %5").arg(where, typeName(e), o_.expectedName, typeName(a), o_.actualName);
    } else if (e.isObject()) {
      objects(e.toObject(), a.toObject(), pe, pa, where);
    } else if (e.isArray()) {
      arrays(e.toArray(), a.toArray(), pe, pa, where);
    }
  }

 private:
  static QString member(const QString& path, const QString& key) { return path.isEmpty() ? key : path + '.' + key; }

  void objects(const QJsonObject& e, const QJsonObject& a, const QString& pe, const QString& pa, const QString& where) {
    const bool free = !o_.freeKeys.pattern().isEmpty() && o_.freeKeys.match(pe).hasMatch();
    bool sameKeys = true;
    for (const QString& k : e.keys())
      if (!a.contains(k)) {
        sameKeys = false;
        if (!free && !o_.optionalKeys.contains(k)) diffs << QString("%1: missing key \"%2\"").arg(where, k);
      }
    for (const QString& k : a.keys())
      if (!e.contains(k)) {
        sameKeys = false;
        if (!free && !o_.optionalKeys.contains(k)) diffs << QString("%1: unexpected key \"%2\"").arg(where, k);
      }
    for (const QString& k : e.keys())
      if (a.contains(k)) compare(e.value(k), a.value(k), member(pe, k), member(pa, k));
    if (o_.keyOrder && sameKeys && orderE_.value(pe) != orderA_.value(pa))
      diffs << QString("%1: key order %2 from %3, %4 from %5")
                   .arg(where, orderE_.value(pe).join(','), o_.expectedName, orderA_.value(pa).join(','), o_.actualName);
  }

  // The pairing key both arrays' elements all carry, or empty.
  QString pairKey(const QJsonArray& e, const QJsonArray& a) const {
    for (const QString& key : o_.pairBy) {
      auto all = [&](const QJsonArray& arr) {
        return std::all_of(arr.begin(), arr.end(), [&](const QJsonValue& v) { return v.isObject() && v.toObject().contains(key); });
      };
      if (all(e) && all(a)) return key;
    }
    return {};
  }

  static QString keyText(const QJsonValue& v) {
    return v.isString() ? '"' + v.toString() + '"' : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
  }

  void arrays(const QJsonArray& e, const QJsonArray& a, const QString& pe, const QString& pa, const QString& where) {
    if (e.isEmpty() != a.isEmpty()) {
      if (o_.emptiness)
        diffs << QString("%1: %2 elements from %3, %4 from %5").arg(where).arg(e.size()).arg(o_.expectedName).arg(a.size()).arg(o_.actualName);
      return;
    }
    // One element each (a singular metric's instance): compared directly, so that a
    // null against a number reads as a type difference.
    const QString key = e.size() == 1 && a.size() == 1 ? QString() : pairKey(e, a);
    if (key.isEmpty()) {
      for (qsizetype i = 0; i < std::min(e.size(), a.size()); ++i)
        compare(e[i], a[i], pe + '[' + QString::number(i) + ']', pa + '[' + QString::number(i) + ']');
      return;
    }
    QHash<QString, qsizetype> index;
    for (qsizetype j = 0; j < a.size(); ++j) index.insert(keyText(a[j].toObject().value(key)), j);
    QHash<QString, bool> seen;
    for (qsizetype i = 0; i < e.size(); ++i) {
      const QString k = keyText(e[i].toObject().value(key));
      seen.insert(k, true);
      if (!index.contains(k)) {
        diffs << QString("%1: no element with %2 %3 from %4").arg(where, key, k, o_.actualName);
        continue;
      }
      const qsizetype j = index.value(k);
      compare(e[i], a[j], pe + '[' + QString::number(i) + ']', pa + '[' + QString::number(j) + ']');
    }
    for (qsizetype j = 0; j < a.size(); ++j) {
      const QString k = keyText(a[j].toObject().value(key));
      if (!seen.contains(k)) diffs << QString("%1: element with %2 %3 only from %4").arg(where, key, k, o_.actualName);
    }
  }

  const ShapeOptions& o_;
  QHash<QString, QStringList> orderE_, orderA_;
};

}  // namespace detail

// Parses a JSON body strictly (pmproxy's "-nan" or an unquoted context id fail);
// `error` says where it failed.
inline QJsonDocument parseJson(const QByteArray& body, QString* error) {
  QJsonParseError e;
  QJsonDocument doc = QJsonDocument::fromJson(body, &e);
  if (e.error != QJsonParseError::NoError && error)
    *error = QString("invalid JSON at offset %1 (%2): %3")
                 .arg(e.offset)
                 .arg(e.errorString(), QString::fromUtf8(body.mid(std::max<qsizetype>(0, e.offset - 40), 80)));
  return doc;
}

// The differences between the shapes of two JSON bodies; empty when they agree.
inline QStringList compareJsonShapes(const QByteArray& expected, const QByteArray& actual, const ShapeOptions& o = {}) {
  QString error;
  const QJsonDocument e = parseJson(expected, &error);
  if (!error.isEmpty()) return {o.expectedName + ": " + error};
  const QJsonDocument a = parseJson(actual, &error);
  if (!error.isEmpty()) return {o.actualName + ": " + error};
  detail::ShapeComparer c(o, expected, actual);
  auto root = [](const QJsonDocument& d) { return d.isArray() ? QJsonValue(d.array()) : QJsonValue(d.object()); };
  c.compare(root(e), root(a), {}, {});
  return c.diffs;
}

}  // namespace sextant::test
