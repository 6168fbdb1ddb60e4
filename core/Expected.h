#pragma once
// A value or the reason there is none. C++23 has std::expected; we target C++20.
#include <cassert>
#include <utility>
#include <variant>

#include "core/Error.h"

namespace sextant {

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Expected(Failure f) : v_(std::move(f)) {}    // NOLINT
  Expected(Error e) : v_(Failure{e, {}}) {}    // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // By value on a temporary, so `for (auto& x : *f())` does not dangle.
  T operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Failure& failure() const { assert(!ok()); return std::get<1>(v_); }
  Error error() const { return failure().code; }

 private:
  std::variant<T, Failure> v_;
};

}  // namespace sextant
