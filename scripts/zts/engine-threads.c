/*
 * scripts/zts/engine-threads.c - threads that come and go, each running many
 * requests, on PHP's embed SAPI (ZTS), as FrankenPHP runs PHP: the engine
 * heap (zendmm_ext.engine=1) must be made and destroyed with each thread.
 *
 *   engine-threads [--fallback] EXTENSION.so ROUNDS THREADS REQUESTS [TRACE]
 *
 * With TRACE, zendmm_ext.engine_trace=TRACE: the startup thread records into
 * TRACE, the Nth thread after it into TRACE.N (the caller checks the files).
 *
 * Each round starts THREADS threads at once; each makes its resources, waits
 * for the others of its round (so their heaps exist side by side), runs
 * REQUESTS requests and ends (ts_free_thread), then the next round starts new
 * ones. Every request
 * builds a string the driver knows independently (its crc32 and length are
 * computed here with zlib), and reports memory_get_usage() at its start;
 * every 10th request asks for more than memory_limit and must die of PHP's
 * fatal error. Checks, each one "ok" or "not ok" line:
 *   - every normal request's answer is the one computed here;
 *   - every 10th request ended in the memory-limit error (a bailout);
 *   - per thread, the usage at the start of its requests 2..n is one figure
 *     (5.3's partial shutdown resets the thread's own heap between requests);
 *   - per thread, its engine heap is its own: the number phpinfo gives it is
 *     different from every other thread's (0 is the startup thread's);
 *   - at the end, in the startup thread: as many engine heaps were made for
 *     threads as threads ran, and as many ended with them.
 *
 * --fallback: a thread whose engine heap cannot be made runs on PHP's own.
 * Segments are 1 GB (ZEND_MM_SEG_SIZE) and, once PHP has started (the startup
 * thread's heap holds one), the address space is limited (RLIMIT_AS) to what
 * the process uses plus 1.5 GB: room for one more thread's first segment, not
 * two. So in each round exactly one thread gets its engine heap and the
 * others' cannot be made (the storage's 1 GB fails); the checks become:
 *   - every answer right and every 10th request over memory_limit, on either
 *     heap (the request over the limit asks for 2 GB: in a 1 GB segment 5.3's
 *     limit, which counts segments, is met only by a request for a new one);
 *   - per round, one thread's phpinfo gives its engine heap's number, every
 *     other's says its engine heap could not be made, with the storage's error;
 *   - at the end: heaps made ROUNDS, ended ROUNDS, not made ROUNDS * (THREADS - 1).
 * Prints "checks: N passed, N failed"; exits 0 when none failed.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <zlib.h>

#include "sapi/embed/php_embed.h"
#include "main/php_main.h"
#include "main/SAPI.h"
#include "Zend/zend_exceptions.h"

#define LIMIT_EVERY 10

#define FALLBACK_SEGMENT (1UL << 30)

static int rounds, threads_per_round, requests_per_thread, fallback;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t round_barrier;
static unsigned passed, failed;
static long *heap_numbers;   /* one per thread that ran, -1 until known */
static int *heap_not_made;   /* one per thread: its phpinfo says its engine heap could not be made */

static void check(int ok, const char *what, int thread, int request)
{
	pthread_mutex_lock(&report_lock);
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("not ok: %s (thread %d, request %d)\n", what, thread, request);
	}
	pthread_mutex_unlock(&report_lock);
}

/* The string request k builds, as the PHP code below builds it. */
static void expected(int k, unsigned long *crc, size_t *len)
{
	int n = 2000 + k;
	size_t cap = (size_t)n * 98, used = 0;
	char *s = malloc(cap);
	for (int i = 0; i < n; i++) {
		if (i) {
			s[used++] = ',';
		}
		for (int j = 0; j < i % 97; j++) {
			s[used++] = (char)('A' + i % 26);
		}
	}
	*crc = crc32(0L, (const unsigned char *)s, (unsigned)used);
	*len = used;
	free(s);
}

/* an expression (zend_eval_string returns "return CODE;"'s value); the
 * embed SAPI's phpinfo() writes HTML: its rows are read without the tags */
static const char *code_fmt =
	"(function () {"
	"$u0 = memory_get_usage();"
	"$k = %5d;"
	"if ($k %% %d == %d) { $x = str_repeat('x', %s); return 'survived the limit'; }"
	"$a = []; for ($i = 0; $i < 2000 + $k; $i++) { $a[] = str_repeat(chr(65 + $i %% 26), $i %% 97); }"
	"$s = implode(',', $a); unset($a);"
	"$num = -1; $off = 0;"
	"if ($k == 0) { ob_start(); phpinfo(INFO_MODULES); $info = html_entity_decode(strip_tags(ob_get_clean()), ENT_QUOTES);"
	"  if (preg_match('~s is number (\\d+) \\(0: the thread~', $info, $m)) { $num = (int)$m[1]; }"
	"  $off = (int)preg_match('~Engine heap \\(zendmm_ext\\.engine\\)\\s+(=> )?off in this thread: its engine heap"
	" could not be made \\(Out of memory [^\\n]*\\); PHP\\'s own heap is used~', $info); }"
	"return sprintf('%%u %%d %%d %%d %%d', crc32($s), strlen($s), $u0, $num, $off);"
	"})()";

/* One request: the answer (a string the caller frees) or NULL after a bailout. */
static char *run_request(int k, int *bailed)
{
	char code[2048];
	char *volatile answer = NULL;
	zval rv;

	snprintf(code, sizeof(code), code_fmt, k, LIMIT_EVERY, LIMIT_EVERY - 1, fallback ? "2 << 30" : "64 << 20");
	*bailed = 0;
	SG(options) |= SAPI_OPTION_NO_CHDIR;
	if (php_request_startup() == FAILURE) {
		return NULL;
	}
	SG(headers_sent) = 1;
	SG(request_info).no_headers = 1;
	ZVAL_UNDEF(&rv);
	zend_first_try {
		if (zend_eval_string(code, &rv, "engine-threads request") == SUCCESS && Z_TYPE(rv) == IS_STRING) {
			answer = strdup(Z_STRVAL(rv));
		}
		zval_ptr_dtor(&rv);
	} zend_catch {
		*bailed = 1;
	} zend_end_try();
	php_request_shutdown(NULL);
	return answer;
}

typedef struct worker_arg { int index; } worker_arg;

static void *worker(void *p)
{
	int t = ((worker_arg *)p)->index;
	long first_flat = -1;
	int flat = 1;

	(void)ts_resource(0);   /* this thread's resources: PHP's heap, then the module's globals */
	pthread_barrier_wait(&round_barrier);
	for (int k = 0; k < requests_per_thread; k++) {
		int bailed;
		char *answer = run_request(k, &bailed);
		if (k % LIMIT_EVERY == LIMIT_EVERY - 1) {
			check(bailed && !answer, "a request over memory_limit ends in PHP's fatal error", t, k);
		} else {
			unsigned long crc = 0, want_crc;
			size_t len = 0, want_len;
			long u0 = -1, num = -2;
			int off = -1;
			expected(k, &want_crc, &want_len);
			int ok = answer && sscanf(answer, "%lu %zu %ld %ld %d", &crc, &len, &u0, &num, &off) == 5
				&& crc == want_crc && len == want_len;
			if (!ok) {
				printf("answer: %s; computed: %lu %zu\n", answer ? answer : "(none)", want_crc, want_len);
			}
			check(ok, "the request's answer is the one computed by the driver", t, k);
			if (k == 0) {
				heap_numbers[t] = num;
				heap_not_made[t] = off;
			} else if (first_flat < 0) {
				first_flat = u0;
			} else if (u0 != first_flat) {
				flat = 0;
			}
		}
		free(answer);
	}
	check(flat && first_flat > 0, "the usage at the start of the thread's requests is flat", t, -1);
	ts_free_thread();       /* its module globals go: its engine heap with them */
	return NULL;
}

/* The startup thread's own request at the end: the counters of engine heaps. */
static void final_check(int total)
{
	char code[1024];
	zval rv;
	int made = -1, ended = -1, not_made = -1;
	int want_made = fallback ? rounds : total, want_not_made = fallback ? total - rounds : 0;
	snprintf(code, sizeof(code), "(function () { ob_start(); phpinfo(INFO_MODULES); $i = ob_get_clean();"
		"preg_match('~number (\\d+) .*made for later threads: (\\d+), ended with them: (\\d+), "
		"could not be made: (\\d+)~', $i, $m);"
		"return isset($m[4]) ? \"$m[1] $m[2] $m[3] $m[4]\" : 'no row'; })()");
	SG(options) |= SAPI_OPTION_NO_CHDIR;
	if (php_request_startup() == FAILURE) {
		check(0, "the startup thread runs a request", 0, -1);
		return;
	}
	SG(headers_sent) = 1;
	SG(request_info).no_headers = 1;
	int number = -1;
	zend_first_try {
		if (zend_eval_string(code, &rv, "engine-threads final") == SUCCESS && Z_TYPE(rv) == IS_STRING) {
			if (sscanf(Z_STRVAL(rv), "%d %d %d %d", &number, &made, &ended, &not_made) != 4) {
				printf("phpinfo: %s\n", Z_STRVAL(rv));
			}
		}
		zval_ptr_dtor(&rv);
	} zend_end_try();
	php_request_shutdown(NULL);
	printf("engine heaps: made for %d threads, %d ended, %d could not be made (threads run: %d)\n",
		made, ended, not_made, total);
	check(number == 0, "the startup thread's engine heap is number 0", -1, -1);
	check(made == want_made, fallback ? "an engine heap was made for one thread per round"
		: "an engine heap was made for every thread", -1, -1);
	check(ended == want_made, "every thread's engine heap ended with it", -1, -1);
	check(not_made == want_not_made, fallback ? "every other thread's engine heap could not be made"
		: "no thread's engine heap failed to be made", -1, -1);
}

int main(int argc, char **argv)
{
	char ini[4096];
	int total;

	if (argc > 1 && strcmp(argv[1], "--fallback") == 0) {
		fallback = 1;
		argv++;
		argc--;
	}
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s [--fallback] EXTENSION.so ROUNDS THREADS REQUESTS [TRACE]\n", argv[0]);
		return 2;
	}
	rounds = atoi(argv[2]);
	threads_per_round = atoi(argv[3]);
	requests_per_thread = atoi(argv[4]);
	total = rounds * threads_per_round;
	heap_numbers = calloc((size_t)total, sizeof(long));
	heap_not_made = calloc((size_t)total, sizeof(int));
	if (threads_per_round < 1 || threads_per_round > 64 || rounds < 1 || requests_per_thread < 1) {
		fprintf(stderr, "ROUNDS and REQUESTS must be at least 1, THREADS 1 to 64\n");
		return 2;
	}
	pthread_barrier_init(&round_barrier, NULL, (unsigned)threads_per_round);
	if (fallback) {
		char seg[32];
		snprintf(seg, sizeof(seg), "%lu", FALLBACK_SEGMENT);
		setenv("ZEND_MM_SEG_SIZE", seg, 1);   /* read when the engine heap's configuration is made */
		mallopt(M_ARENA_MAX, 1);             /* no thread maps an arena of its own */
	}

	snprintf(ini, sizeof(ini),
		"extension=%s\nzendmm_ext.engine=1\nmemory_limit=16M\ndisplay_errors=0\nlog_errors=0\n"
		"display_startup_errors=1\nhtml_errors=0\nimplicit_flush=1\noutput_buffering=0\n"
		"max_execution_time=0\npcre.jit=0\n%s%s\n", argv[1],
		argc == 6 ? "zendmm_ext.engine_trace=" : "", argc == 6 ? argv[5] : "");

	php_tsrm_startup();
	zend_signal_startup();
	sapi_startup(&php_embed_module);
	php_embed_module.ini_entries = strdup(ini);
	php_embed_module.php_ini_ignore = 1;
	php_embed_module.executable_location = argv[0];
	if (php_embed_module.startup(&php_embed_module) == FAILURE) {
		fprintf(stderr, "PHP did not start\n");
		return 1;
	}
	if (fallback) {
		/* what the process maps now (the startup thread's engine heap
		 * included), plus room for one more 1 GB segment but not two */
		unsigned long kb = 0;
		char line[256];
		FILE *st = fopen("/proc/self/status", "r");
		while (st && fgets(line, sizeof(line), st)) {
			if (sscanf(line, "VmSize: %lu kB", &kb) == 1) {
				break;
			}
		}
		if (st) {
			fclose(st);
		}
		struct rlimit lim = { .rlim_cur = kb * 1024 + FALLBACK_SEGMENT * 3 / 2, .rlim_max = RLIM_INFINITY };
		if (!kb || setrlimit(RLIMIT_AS, &lim) != 0) {
			fprintf(stderr, "the address space could not be limited\n");
			return 1;
		}
		printf("address space limited to %lu MB (%lu MB in use, segments of %lu MB)\n",
			(unsigned long)(lim.rlim_cur >> 20), kb >> 10, FALLBACK_SEGMENT >> 20);
	}

	for (int r = 0; r < rounds; r++) {
		pthread_t th[64];
		worker_arg args[64];
		int n = threads_per_round;
		for (int i = 0; i < n; i++) {
			args[i].index = r * threads_per_round + i;
			heap_numbers[args[i].index] = -1;
			if (pthread_create(&th[i], NULL, worker, &args[i]) != 0) {
				/* the others of the round would wait for it at the barrier */
				printf("not ok: a thread starts (thread %d)\nchecks: %u passed, %u failed\n",
					args[i].index, passed, failed + 1);
				fflush(stdout);
				_exit(1);
			}
		}
		for (int i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
		}
	}
	/* every thread that had a heap had its own: distinct numbers, none the
	 * startup thread's; with --fallback one per round, the others none */
	for (int t = 0; t < total; t++) {
		if (heap_numbers[t] < 0 && fallback) {
			check(heap_not_made[t] == 1, "phpinfo says the thread's engine heap could not be made, and why", t, 0);
			continue;
		}
		int unique = heap_numbers[t] > 0 && heap_not_made[t] == 0;
		for (int u = 0; u < t && unique; u++) {
			unique = heap_numbers[u] != heap_numbers[t];
		}
		check(unique, "the thread's engine heap is its own (a number no other thread has)", t, 0);
	}
	for (int r = 0; fallback && r < rounds; r++) {
		int with_heap = 0;
		for (int i = 0; i < threads_per_round; i++) {
			with_heap += heap_numbers[r * threads_per_round + i] > 0;
		}
		check(with_heap == 1, "one thread of the round has an engine heap (room for one more segment)", -1, r);
	}
	final_check(total);

	php_module_shutdown();
	sapi_shutdown();
	tsrm_shutdown();
	free(php_embed_module.ini_entries);
	php_embed_module.ini_entries = NULL;
	free(heap_numbers);
	free(heap_not_made);
	pthread_barrier_destroy(&round_barrier);

	printf("threads: %d (%d rounds of %d), requests: %d\n", total, rounds, threads_per_round,
		total * requests_per_thread);
	printf("checks: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
