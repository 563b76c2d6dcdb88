# bench/workloads.sh - sourced by the bench scripts: the workload names.
#
#   bench_workloads [name...]   fills the array "workloads": the names given,
#                               else every bench/workloads/*.php but the
#                               helpers (files starting with "_")
bench_workloads() {
    workloads=("$@")
    [ $# -eq 0 ] || return 0
    local f b
    for f in bench/workloads/*.php; do
        b=$(basename "$f" .php)
        case "$b" in _*) continue ;; esac
        workloads+=("$b")
    done
}
