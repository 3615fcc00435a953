;; The scan's two SIMD kernels. record-ends: where CSV records end.
;;
;; Finds every line feed that ends a record (one outside a quoted field) in
;; memory[src, src+len) and writes its offset (relative to src) to `out` as
;; i32, in order. 16 bytes at a time, quotes and line feeds are found with a
;; vector compare; only those positions are then walked, one by one, through
;; the same quote rules as the JavaScript framer (RFC 4180 as csv-parse reads
;; it with relax_quotes): a quote opens a quoted field only at a field's start
;; (after the delimiter or a line feed, or at the very start); inside one, ""
;; is a literal quote and any other quote closes it.
;;
;; The state between calls lives in globals the caller sets and reads:
;;   inq      1 inside a quoted field
;;   pending  1 when the last byte was a quote inside a quoted field (its
;;            meaning, "" or a close, depends on the next chunk's first byte)
;;   before   the byte before src (10 at a record start)
;;   lfs      line feeds seen (all of them, also inside quotes), for line numbers
;;   fields   delimiters outside quotes so far in the record still open
;; For each record end it writes two i32: the line feed's offset and the
;; record's field count (delimiters outside quotes, plus one), so a ragged row
;; is known without parsing it. Delimiters are never walked one by one: per
;; 16 bytes, those between two quote or line-feed events are counted with
;; popcnt, when that stretch is outside quotes.
;; The caller zero-fills 16 bytes after len (zero never matches).
(module
  (memory (export "memory") 1)
  (global $inq (export "inq") (mut i32) (i32.const 0))
  (global $pending (export "pending") (mut i32) (i32.const 0))
  (global $before (export "before") (mut i32) (i32.const 10))
  (global $lfs (export "lfs") (mut i32) (i32.const 0))
  (global $fields (export "fields") (mut i32) (i32.const 0))

  (func (export "recordEnds") (param $src i32) (param $len i32) (param $out i32) (param $delim i32) (result i32)
    (local $i i32) (local $k i32) (local $m i32) (local $lfm i32) (local $p i32) (local $b i32)
    (local $skip i32) (local $v v128) (local $quote v128) (local $lf v128)
    (local $dv v128) (local $dm i32) (local $r i32) (local $cut i32)
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $lf (i8x16.splat (i32.const 0x0a)))
    (local.set $dv (i8x16.splat (local.get $delim)))
    (local.set $skip (i32.const -1))
    ;; a quote left undecided by the previous chunk
    (if (global.get $pending)
      (then
        (global.set $pending (i32.const 0))
        (if (i32.and (i32.gt_u (local.get $len) (i32.const 0))
                     (i32.eq (i32.load8_u (local.get $src)) (i32.const 0x22)))
          (then (local.set $skip (i32.const 0)))
          (else (global.set $inq (i32.const 0))))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $v (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $lfm (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $lf))))
        (global.set $lfs (i32.add (global.get $lfs) (i32.popcnt (local.get $lfm))))
        (local.set $m (i32.or (local.get $lfm)
          (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quote)))))
        (local.set $dm (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $dv))))
        (local.set $cut (i32.const 0))
        (block $bits_done
          (loop $bits
            (br_if $bits_done (i32.eqz (local.get $m)))
            (local.set $r (i32.ctz (local.get $m)))
            (local.set $p (i32.add (local.get $i) (local.get $r)))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            ;; delimiters since the last event, when that stretch was outside quotes
            (if (i32.eqz (global.get $inq))
              (then (global.set $fields (i32.add (global.get $fields) (i32.popcnt (i32.and (local.get $dm)
                (i32.xor (i32.sub (i32.shl (i32.const 1) (local.get $r)) (i32.const 1))
                         (i32.sub (i32.shl (i32.const 1) (local.get $cut)) (i32.const 1)))))))))
            (local.set $cut (i32.add (local.get $r) (i32.const 1)))
            (block $next
              ;; the second quote of a "" pair
              (br_if $next (i32.eq (local.get $p) (local.get $skip)))
              (local.set $b (i32.load8_u (i32.add (local.get $src) (local.get $p))))
              (if (global.get $inq)
                (then
                  (br_if $next (i32.ne (local.get $b) (i32.const 0x22)))
                  (if (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $len))
                    (then (global.set $pending (i32.const 1)) (br $next)))
                  (if (i32.eq (i32.load8_u (i32.add (local.get $src) (i32.add (local.get $p) (i32.const 1)))) (i32.const 0x22))
                    (then (local.set $skip (i32.add (local.get $p) (i32.const 1))))
                    (else (global.set $inq (i32.const 0))))
                  (br $next)))
              (if (i32.eq (local.get $b) (i32.const 0x0a))
                (then
                  (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))) (local.get $p))
                  (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
                    (i32.add (global.get $fields) (i32.const 1)))
                  (global.set $fields (i32.const 0))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br $next)))
              ;; a quote outside quotes opens a field only at a field's start
              (local.set $b (if (result i32) (i32.eqz (local.get $p))
                (then (global.get $before))
                (else (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $p) (i32.const 1)))))))
              (if (i32.or (i32.eq (local.get $b) (local.get $delim)) (i32.eq (local.get $b) (i32.const 0x0a)))
                (then (global.set $inq (i32.const 1)))))
            (br $bits)))
        ;; delimiters after the block's last event (none past len: the padding is zero)
        (if (i32.eqz (global.get $inq))
          (then (global.set $fields (i32.add (global.get $fields) (i32.popcnt (i32.and (local.get $dm)
            (i32.xor (i32.const 0xffff) (i32.sub (i32.shl (i32.const 1) (local.get $cut)) (i32.const 1)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (if (i32.gt_u (local.get $len) (i32.const 0))
      (then (global.set $before (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $len) (i32.const 1)))))))
    (local.get $k))
;; quadPositions: where a 4-byte text (`quad`, little-endian) starts in
;; memory[src, src+len), written to `out` as i32 offsets, in order. It is the
;; candidate search for IOC text: the anchor is the first four bytes the IOC
;; IPs share (`179.`), found 16 positions at a time. Reads up to 19 bytes past
;; len: the caller zero-fills them.
  (func (export "quadPositions") (param $src i32) (param $len i32) (param $out i32) (param $quad i32) (result i32)
    (local $i i32) (local $k i32) (local $m i32) (local $p i32) (local $at i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $b0 (i8x16.splat (local.get $quad)))
    (local.set $b1 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 8))))
    (local.set $b2 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 16))))
    (local.set $b3 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 24))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $at (i32.add (local.get $src) (local.get $i)))
        (local.set $m (i8x16.bitmask (v128.and
          (v128.and (i8x16.eq (v128.load (local.get $at)) (local.get $b0))
                    (i8x16.eq (v128.load offset=1 (local.get $at)) (local.get $b1)))
          (v128.and (i8x16.eq (v128.load offset=2 (local.get $at)) (local.get $b2))
                    (i8x16.eq (v128.load offset=3 (local.get $at)) (local.get $b3))))))
        (block $bits_done
          (loop $bits
            (br_if $bits_done (i32.eqz (local.get $m)))
            (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $len))
              (then
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))) (local.get $p))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))))
            (br $bits)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.get $k))
)
