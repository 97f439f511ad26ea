/**
 * Messages in and out of this node over the last minute (连接管理's rates): one counter per second
 * in a ring of 60, so counting costs an array write and reading sums 60 numbers.
 */
export function rateCounter(now: () => number = Date.now) {
  const slots = new Array<number>(60).fill(0);
  let lastSecond = Math.floor(now() / 1000);
  const advance = () => {
    const second = Math.floor(now() / 1000);
    // Clear the seconds that passed without a message (at most the whole ring).
    for (let s = lastSecond + 1; s <= second && s <= lastSecond + 60; s++) slots[s % 60] = 0;
    if (second > lastSecond) lastSecond = second;
    return second;
  };
  return {
    add(n = 1) {
      slots[advance() % 60]! += n;
    },
    perMinute() {
      advance();
      return slots.reduce((a, b) => a + b, 0);
    },
  };
}

export function trafficStats(now?: () => number) {
  return { in: rateCounter(now), out: rateCounter(now) };
}
export type TrafficStats = ReturnType<typeof trafficStats>;
