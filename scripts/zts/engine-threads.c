/*
 * scripts/zts/engine-threads.c - threads that come and go, each running many
 * requests, on PHP's embed SAPI (ZTS), as FrankenPHP runs PHP: the engine
 * heap (zendmm_ext.engine=1) must be made and destroyed with each thread.
 *
 *   engine-threads EXTENSION.so ROUNDS THREADS REQUESTS [TRACE]
 *
 * With TRACE, zendmm_ext.engine_trace=TRACE: the startup thread records into
 * TRACE, the Nth thread after it into TRACE.N (the caller checks the files).
 *
 * Each round starts THREADS threads at once; each runs REQUESTS requests and
 * ends (ts_free_thread), then the next round starts new ones. Every request
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
 * Prints "checks: N passed, N failed"; exits 0 when none failed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sapi/embed/php_embed.h"
#include "main/php_main.h"
#include "main/SAPI.h"
#include "Zend/zend_exceptions.h"

#define LIMIT_EVERY 10

static int rounds, threads_per_round, requests_per_thread;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned passed, failed;
static long *heap_numbers;   /* one per thread that ran, -1 until known */

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

/* an expression (zend_eval_string returns "return CODE;"'s value) */
static const char *code_fmt =
	"(function () {"
	"$u0 = memory_get_usage();"
	"$k = %5d;"
	"if ($k %% %d == %d) { $x = str_repeat('x', 64 << 20); return 'survived the limit'; }"
	"$a = []; for ($i = 0; $i < 2000 + $k; $i++) { $a[] = str_repeat(chr(65 + $i %% 26), $i %% 97); }"
	"$s = implode(',', $a); unset($a);"
	"$num = -1;"
	"if ($k == 0) { ob_start(); phpinfo(INFO_MODULES); $info = ob_get_clean();"
	"  if (preg_match('~s is number (\\d+) \\(0: the thread~', $info, $m)) { $num = (int)$m[1]; } }"
	"return sprintf('%%u %%d %%d %%d', crc32($s), strlen($s), $u0, $num);"
	"})()";

/* One request: the answer (a string the caller frees) or NULL after a bailout. */
static char *run_request(int k, int *bailed)
{
	char code[1024];
	char *volatile answer = NULL;
	zval rv;

	snprintf(code, sizeof(code), code_fmt, k, LIMIT_EVERY, LIMIT_EVERY - 1);
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
	for (int k = 0; k < requests_per_thread; k++) {
		int bailed;
		char *answer = run_request(k, &bailed);
		if (k % LIMIT_EVERY == LIMIT_EVERY - 1) {
			check(bailed && !answer, "a request over memory_limit ends in PHP's fatal error", t, k);
		} else {
			unsigned long crc = 0, want_crc;
			size_t len = 0, want_len;
			long u0 = -1, num = -2;
			expected(k, &want_crc, &want_len);
			int ok = answer && sscanf(answer, "%lu %zu %ld %ld", &crc, &len, &u0, &num) == 4
				&& crc == want_crc && len == want_len;
			if (!ok) {
				printf("answer: %s; computed: %lu %zu\n", answer ? answer : "(none)", want_crc, want_len);
			}
			check(ok, "the request's answer is the one computed by the driver", t, k);
			if (k == 0) {
				heap_numbers[t] = num;
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
	char code[512];
	zval rv;
	int made = -1, ended = -1;
	snprintf(code, sizeof(code), "(function () { ob_start(); phpinfo(INFO_MODULES); $i = ob_get_clean();"
		"preg_match('~number (\\d+) .*made for later threads: (\\d+), ended with them: (\\d+)~', $i, $m);"
		"return isset($m[3]) ? \"$m[1] $m[2] $m[3]\" : 'no row'; })()");
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
			if (sscanf(Z_STRVAL(rv), "%d %d %d", &number, &made, &ended) != 3) {
				printf("phpinfo: %s\n", Z_STRVAL(rv));
			}
		}
		zval_ptr_dtor(&rv);
	} zend_end_try();
	php_request_shutdown(NULL);
	printf("engine heaps: made for %d threads, %d ended (threads run: %d)\n", made, ended, total);
	check(number == 0, "the startup thread's engine heap is number 0", -1, -1);
	check(made == total, "an engine heap was made for every thread", -1, -1);
	check(ended == total, "every thread's engine heap ended with it", -1, -1);
}

int main(int argc, char **argv)
{
	char ini[4096];
	int total;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s EXTENSION.so ROUNDS THREADS REQUESTS [TRACE]\n", argv[0]);
		return 2;
	}
	rounds = atoi(argv[2]);
	threads_per_round = atoi(argv[3]);
	requests_per_thread = atoi(argv[4]);
	total = rounds * threads_per_round;
	heap_numbers = calloc((size_t)total, sizeof(long));

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

	for (int r = 0; r < rounds; r++) {
		pthread_t th[64];
		worker_arg args[64];
		int n = threads_per_round > 64 ? 64 : threads_per_round;
		for (int i = 0; i < n; i++) {
			args[i].index = r * threads_per_round + i;
			heap_numbers[args[i].index] = -1;
			if (pthread_create(&th[i], NULL, worker, &args[i]) != 0) {
				check(0, "a thread starts", args[i].index, -1);
				th[i] = 0;
			}
		}
		for (int i = 0; i < n; i++) {
			if (th[i]) {
				pthread_join(th[i], NULL);
			}
		}
	}
	/* every thread had a heap of its own: distinct numbers, none the startup thread's */
	for (int t = 0; t < total; t++) {
		int unique = heap_numbers[t] > 0;
		for (int u = 0; u < t && unique; u++) {
			unique = heap_numbers[u] != heap_numbers[t];
		}
		check(unique, "the thread's engine heap is its own (a number no other thread has)", t, 0);
	}
	final_check(total);

	php_module_shutdown();
	sapi_shutdown();
	tsrm_shutdown();
	free(php_embed_module.ini_entries);
	php_embed_module.ini_entries = NULL;
	free(heap_numbers);

	printf("threads: %d (%d rounds of %d), requests: %d\n", total, rounds, threads_per_round,
		total * requests_per_thread);
	printf("checks: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
