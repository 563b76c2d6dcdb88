<?php

/**
 * Stub of the zendmm_ext userland API. zendmm_ext_arginfo.h is generated
 * from this file by PHP's build/gen_stub.php and committed.
 *
 * @generate-class-entries
 */

namespace ZendMM {
    /**
     * An opaque ZendMM 5.3 heap. Made by zendmm_heap_create() or zendmm_heap().
     *
     * @strict-properties
     * @not-serializable
     */
    final class Heap
    {
    }

    /** Base class of every runtime failure reported by a heap. */
    class Exception extends \RuntimeException
    {
    }

    /** "Allowed memory size of N bytes exhausted (tried to allocate M bytes)" */
    class MemoryLimitException extends Exception
    {
    }

    /** Out of memory, integer overflow in a size, or a storage that failed. */
    class OutOfMemoryException extends Exception
    {
    }
}

namespace {
    /**
     * @var string
     * @cvalue PHP_ZENDMM_EXT_VERSION
     */
    const ZENDMM_EXT_VERSION = UNKNOWN;

    function zendmm_heap_create(array $options = []): ZendMM\Heap {}

    function zendmm_heap(): ZendMM\Heap {}

    function zendmm_emalloc(ZendMM\Heap $heap, int $size): int {}

    function zendmm_ecalloc(ZendMM\Heap $heap, int $nmemb, int $size): int {}

    function zendmm_erealloc(ZendMM\Heap $heap, int $ptr, int $size): int {}

    function zendmm_efree(ZendMM\Heap $heap, int $ptr): void {}

    function zendmm_safe_emalloc(ZendMM\Heap $heap, int $nmemb, int $size, int $offset): int {}

    function zendmm_estrdup(ZendMM\Heap $heap, string $s): int {}

    function zendmm_estrndup(ZendMM\Heap $heap, string $s, int $length): int {}

    function zendmm_write(ZendMM\Heap $heap, int $ptr, string $data, int $offset = 0): void {}

    function zendmm_read(ZendMM\Heap $heap, int $ptr, ?int $length = null, int $offset = 0): string {}

    /** @return array<string, int|string> */
    function zendmm_block_info(ZendMM\Heap $heap, int $ptr): array {}

    /** @return array<string, mixed> */
    function zendmm_stats(ZendMM\Heap $heap): array {}

    function zendmm_memory_usage(ZendMM\Heap $heap, bool $real = false): int {}

    function zendmm_memory_peak_usage(ZendMM\Heap $heap, bool $real = false): int {}

    function zendmm_memory_reset_peak(ZendMM\Heap $heap): void {}

    /** @return array<string, mixed> */
    function zendmm_buckets(ZendMM\Heap $heap): array {}

    /** @return array<int, array<string, mixed>> */
    function zendmm_segments(ZendMM\Heap $heap): array {}

    /** @return array<int, string> */
    function zendmm_storage_schemes(): array {}

    function zendmm_set_storage(ZendMM\Heap $heap, string $scheme): string {}

    function zendmm_set_limit(ZendMM\Heap $heap, int $limit): int {}

    /** @return array<int, string> */
    function zendmm_check_heap(ZendMM\Heap $heap): array {}

    function zendmm_compact(ZendMM\Heap $heap): int {}

    function zendmm_flush_cache(ZendMM\Heap $heap): void {}

    function zendmm_shutdown(ZendMM\Heap $heap, bool $full = false): void {}

    /**
     * Record every emalloc/efree/erealloc of PHP's own heap into $file (the
     * zendmm trace format, bench/README.md) until zendmm_trace_stop().
     */
    function zendmm_trace_start(string $file): void {}

    /**
     * Stop recording; returns the counts (allocs, frees, reallocs, failed,
     * free_null, realloc_null, bytes_allocated, bytes_reallocated, records,
     * file_bytes) and the file.
     *
     * @return array<string, int|string>
     */
    function zendmm_trace_stop(): array {}

    /**
     * A picture of the heap: "text" (one line per segment, $width columns,
     * 40 to 1000, default 80), "svg" (a standalone SVG $width pixels wide,
     * 400 to 20000, default 1200) or "json" (the model both are drawn from,
     * with the keys of zendmm_stats(), zendmm_segments() and zendmm_buckets();
     * $width is ignored) or "html" (the explorer: one self-contained page,
     * $width as for "svg").
     */
    function zendmm_heap_map(ZendMM\Heap $heap, string $format = "text", ?int $width = null): string {}

    /**
     * Where real_size goes: payload, headers, rounding, cached, free_small,
     * free_large, rest, segment_overhead, reserve (they add up to real_size;
     * payload and rounding are null on a heap that does not record requested
     * sizes, payload_and_rounding is always given).
     *
     * @return array<string, int|bool|null>
     */
    function zendmm_breakdown(ZendMM\Heap $heap): array {}

    /**
     * The trace player: replay $trace on a fresh heap (alignment 8, or 16 for
     * a zendmm_ext.engine_trace) and write a self-contained HTML page to $out.
     */
    function zendmm_trace_html(string $trace, string $out, int $alignment = 8): void {}

    /**
     * Live blocks and bytes per allocation site, largest first, with the
     * header and rounding bytes the 5.3 layout charges them; $limit 0: all.
     * The heap must record sites ('sites' => true, or zendmm_ext.sites=1).
     *
     * @return array<int, array<string, mixed>>
     */
    function zendmm_sites(ZendMM\Heap $heap, int $limit = 50): array {}

    /**
     * Segments whose live bytes are at most $max_use of their size: the
     * blocks and sites that keep each from going back to storage.
     *
     * @return array<int, array<string, mixed>>
     */
    function zendmm_pinning(ZendMM\Heap $heap, float $max_use = 0.25): array {}

    /** The live blocks by site as "callgrind", "pprof" (gzip'd profile.proto) or "folded". */
    function zendmm_sites_dump(ZendMM\Heap $heap, string $format, string $path): void {}

    /*
     * Room for the other parts of the extension: zendmm_trace_start() and
     * zendmm_trace_stop() (allocation traces of PHP's own heap) and
     * zendmm_heap_map() (text/SVG/JSON maps of a heap) are declared here.
     */
}
