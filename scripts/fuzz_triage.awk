# Triage of one replayed fuzz finding (scripts/fuzz.sh, docs/fuzzing.md).
# Input: the output of `fuzz_<target> <input>` (a sanitizer, libFuzzer timeout/OOM or UBSan
# report with symbolised stacks "    #N 0xADDR in FUNCTION LOCATION").
# Output: one line "VERDICT<TAB>FRAME", where FRAME is the first frame of the faulting stack
# below the runtime, and VERDICT is
#   upstream  every stack of the report (the faulting one and each "allocated by" /
#             "freed by" stack) starts, below the runtime, in libhdf5, so the fault and the
#             memory it touched both belong to HDF5; a buffer of dotakv's that HDF5 overran
#             has a dotakv allocation stack and is not upstream;
#   dotakv    any other report or an unsymbolised frame;
#   unreproduced  the replay, alone in a fresh process, reported nothing (scripts/fuzz.sh
#             replays it again and then lists it apart; docs/fuzzing.md says why).
# Runtime frames: the sanitizer and libFuzzer runtimes, libc, libstdc++, the dynamic loader.

function runtime_frame(line) {
  if (line ~ /(libclang_rt|compiler-rt|libsanitizer|libc\.so|libc-|libstdc\+\+|libgcc_s|ld-linux)/)
    return 1
  if (line ~ / in (__asan|__lsan|__ubsan|__msan|__sanitizer|__interceptor_|___interceptor_|__interception)/)
    return 1
  if (line ~ / in (fuzzer::|LLVMFuzzerRunDriver)/ || line ~ /sysdeps\//)
    return 1
  if (line ~ / in (malloc|calloc|realloc|free|valloc|posix_memalign|aligned_alloc|memalign)[ (]/)
    return 1
  if (line ~ / in (operator new|operator delete|__cxa_|__cxxabiv1|std::terminate|__gnu_cxx::__verbose_terminate_handler)/)
    return 1
  if (line ~ / in (_*mem(cpy|move|set|cmp|chr)[a-z0-9_]*|str(len|nlen|dup|ndup|cpy|ncpy|cmp|ncmp|chr|rchr)|abort|raise|gsignal|__libc_|__GI_|_start)[ (]/)
    return 1
  return 0
}

/^[ \t]*#[0-9]+ 0x[0-9a-fA-F]+/ {
  if (!in_stack) {
    stacks++
    in_stack = 1
  }
  if (!(stacks in first) && !runtime_frame($0)) {
    frame = $0
    sub(/^[ \t]*#[0-9]+ 0x[0-9a-fA-F]+ in /, "", frame)
    first[stacks] = frame
  }
  next
}
{ in_stack = 0 }

END {
  if (stacks == 0) {
    print "unreproduced\tno sanitizer report on replay"
    exit
  }
  upstream = 1
  faulting = ""
  for (i = 1; i <= stacks; i++) {
    if (!(i in first)) continue
    if (faulting == "") faulting = first[i]
    if (first[i] !~ /libhdf5/) upstream = 0
  }
  if (faulting == "") {
    print "dotakv\tonly runtime frames"
    exit
  }
  print (upstream ? "upstream" : "dotakv") "\t" faulting
}
