#include "venue/loopback/faults.h"

namespace winiswin::loopback {

std::uint64_t FaultDice::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t mixed = state_;
  mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9ULL;
  mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111ebULL;
  return mixed ^ (mixed >> 31);
}

double FaultDice::uniform() {
  // The top 53 bits as a fraction: exactly representable, uniform on [0, 1).
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

}  // namespace winiswin::loopback
