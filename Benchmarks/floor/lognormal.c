/* The Monte Carlo floor: draws COUNT lognormal samples with the generator and transform the
 * Monte Carlo uses (xoshiro256** seeded through SplitMix64, Marsaglia's polar normal,
 * exp(2.3 + 0.8 z)) and sums them. Prints the sum, so that the loop is not optimised away,
 * and the seconds of cpu time the loop took.
 * Usage: lognormal COUNT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t s[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void) {
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static double uniform(void) { return (double)(next() >> 11) * 0x1.0p-53; }
static int have_spare;
static double spare;
static double normal(void) {
    if (have_spare) { have_spare = 0; return spare; }
    for (;;) {
        double u = 2 * uniform() - 1, v = 2 * uniform() - 1, q = u * u + v * v;
        if (q > 0 && q < 1) { double f = sqrt(-2 * log(q) / q); spare = v * f; have_spare = 1; return u * f; }
    }
}

int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 1000000;
    uint64_t x = 1;
    for (int i = 0; i < 4; i++) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        s[i] = z ^ (z >> 31);
    }
    clock_t start = clock();
    double sum = 0;
    for (long i = 0; i < count; i++) sum += exp(2.3 + 0.8 * normal());
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("sum %.6e seconds %.6f\n", sum, seconds);
    return 0;
}
