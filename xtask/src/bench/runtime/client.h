/*
 * The measuring loop both benchmark clients share: `one_call()` is the round trip under test.
 * Latency: N timed calls on one thread, printed as sorted percentiles. Throughput: T threads calling
 * for a fixed time, printed as calls per second.
 * Usage: <client> latency N | <client> throughput THREADS MILLISECONDS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int one_call(void);

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int compare(const void* a, const void* b) {
	uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
	return (x > y) - (x < y);
}

static volatile int stop;
static uint64_t counts[64];

static void* worker(void* arg) {
	uint64_t* count = arg;
	while (!stop) {
		if (one_call() != 0) {
			fprintf(stderr, "call failed\n");
			exit(1);
		}
		(*count)++;
	}
	return NULL;
}

static int run(int argc, char** argv) {
	if (argc >= 3 && strcmp(argv[1], "latency") == 0) {
		int n = atoi(argv[2]);
		uint64_t* samples = malloc(sizeof(uint64_t) * (size_t)n);
		for (int i = 0; i < n / 10; i++)
			one_call();
		for (int i = 0; i < n; i++) {
			uint64_t start = now_ns();
			if (one_call() != 0) {
				fprintf(stderr, "call failed\n");
				return 1;
			}
			samples[i] = now_ns() - start;
		}
		qsort(samples, (size_t)n, sizeof(uint64_t), compare);
		printf("p50=%llu p90=%llu p99=%llu\n", (unsigned long long)samples[n / 2],
		       (unsigned long long)samples[n * 9 / 10], (unsigned long long)samples[n * 99 / 100]);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "throughput") == 0) {
		int threads = atoi(argv[2]), ms = atoi(argv[3]);
		pthread_t ids[64];
		if (threads > 64)
			threads = 64;
		for (int i = 0; i < threads; i++)
			pthread_create(&ids[i], NULL, worker, &counts[i * 8 % 64]);
		struct timespec pause = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
		nanosleep(&pause, NULL);
		stop = 1;
		uint64_t total = 0;
		for (int i = 0; i < threads; i++) {
			pthread_join(ids[i], NULL);
			total += counts[i * 8 % 64];
		}
		printf("calls_per_sec=%llu\n", (unsigned long long)(total * 1000ull / (uint64_t)ms));
		return 0;
	}
	fprintf(stderr, "usage: %s latency N | throughput THREADS MS\n", argv[0]);
	return 2;
}
