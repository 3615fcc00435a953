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
;; IPs share (`179.`), found 16 positions at a time. With `pair` (a 2-byte
;; text, little-endian; 0 for none) its places are written to `pairOut` in
;; the same pass ($pairs of them): JSON's `\u`, for which a JSON-lines chunk
;; is searched too, cost a search of its own that stopped at every backslash.
;; With `lfOut` (0 for none), the line feeds are written there ($feeds of
;; them): the JSON-lines reader walks its lines without a search a line.
;; Reads up to 19 bytes past len: the caller zero-fills them.
  (global $pairs (export "pairs") (mut i32) (i32.const 0))
  (global $quads (mut i32) (i32.const 0))
  ;; emits a block's places: anchors ($m) to $out, pairs ($e) to $pairOut, line feeds ($f) to $lfOut
  (func $quadBlock (param $len i32) (param $i i32) (param $m i32) (param $e i32) (param $f i32) (param $out i32) (param $pairOut i32) (param $lfOut i32)
    (local $p i32)
    (block $pairs_done
      (loop $pair_bits
        (br_if $pairs_done (i32.eqz (local.get $e)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $e))))
        (local.set $e (i32.and (local.get $e) (i32.sub (local.get $e) (i32.const 1))))
        (if (i32.le_u (i32.add (local.get $p) (i32.const 2)) (local.get $len))
          (then
            (i32.store (i32.add (local.get $pairOut) (i32.shl (global.get $pairs) (i32.const 2))) (local.get $p))
            (global.set $pairs (i32.add (global.get $pairs) (i32.const 1)))))
        (br $pair_bits)))
    (if (local.get $f) (then (call $lineFeeds (local.get $len) (local.get $i) (local.get $f) (local.get $lfOut))))
    (block $bits_done
      (loop $bits
        (br_if $bits_done (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $len))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (global.get $quads) (i32.const 2))) (local.get $p))
            (global.set $quads (i32.add (global.get $quads) (i32.const 1)))))
        (br $bits))))

  (func (export "quadPositions") (param $src i32) (param $len i32) (param $out i32) (param $quad i32) (param $pair i32) (param $pairOut i32) (param $lfOut i32) (result i32)
    (local $i i32) (local $at i32) (local $m i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $p0 v128) (local $p1 v128) (local $v0 v128) (local $v1 v128) (local $nl v128)
    (local.set $b0 (i8x16.splat (local.get $quad)))
    (local.set $b1 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 8))))
    (local.set $b2 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 16))))
    (local.set $b3 (i8x16.splat (i32.shr_u (local.get $quad) (i32.const 24))))
    (global.set $quads (i32.const 0))
    (global.set $pairs (i32.const 0))
    (global.set $feeds (i32.const 0))
    (if (i32.or (local.get $pair) (local.get $lfOut))
      (then
        ;; a JSON-lines chunk: anchors, `\u` and line feeds, one test a block for all three (most
        ;; blocks hold none); the places are sorted out apart in the rare block that holds one
        (local.set $p0 (i8x16.splat (local.get $pair)))
        (local.set $p1 (i8x16.splat (i32.shr_u (local.get $pair) (i32.const 8))))
        ;; (a local: without a token table the chunk itself is at 0, where the token search keeps its constants)
        (local.set $nl (i8x16.splat (i32.const 0x0a)))
        (block $done
          (loop $blocks
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $at (i32.add (local.get $src) (local.get $i)))
            (local.set $v0 (v128.load (local.get $at)))
            (local.set $v1 (v128.load offset=1 (local.get $at)))
            (if (i8x16.bitmask (v128.or
                  (v128.and
                    (v128.and (i8x16.eq (local.get $v0) (local.get $b0)) (i8x16.eq (local.get $v1) (local.get $b1)))
                    (v128.and (i8x16.eq (v128.load offset=2 (local.get $at)) (local.get $b2))
                              (i8x16.eq (v128.load offset=3 (local.get $at)) (local.get $b3))))
                  (v128.or (v128.and (i8x16.eq (local.get $v0) (local.get $p0)) (i8x16.eq (local.get $v1) (local.get $p1)))
                           (i8x16.eq (local.get $v0) (local.get $nl)))))
              (then (call $quadBlock (local.get $len) (local.get $i)
                (i8x16.bitmask (v128.and
                  (v128.and (i8x16.eq (local.get $v0) (local.get $b0)) (i8x16.eq (local.get $v1) (local.get $b1)))
                  (v128.and (i8x16.eq (v128.load offset=2 (local.get $at)) (local.get $b2))
                            (i8x16.eq (v128.load offset=3 (local.get $at)) (local.get $b3)))))
                (if (result i32) (local.get $pair)
                  (then (i8x16.bitmask (v128.and (i8x16.eq (local.get $v0) (local.get $p0)) (i8x16.eq (local.get $v1) (local.get $p1)))))
                  (else (i32.const 0)))
                (if (result i32) (local.get $lfOut)
                  (then (i8x16.bitmask (i8x16.eq (local.get $v0) (local.get $nl))))
                  (else (i32.const 0)))
                (local.get $out) (local.get $pairOut) (local.get $lfOut))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $blocks))))
      (else
        (block $done
          (loop $blocks
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $at (i32.add (local.get $src) (local.get $i)))
            (local.set $m (i8x16.bitmask (v128.and
              (v128.and (i8x16.eq (v128.load (local.get $at)) (local.get $b0)) (i8x16.eq (v128.load offset=1 (local.get $at)) (local.get $b1)))
              (v128.and (i8x16.eq (v128.load offset=2 (local.get $at)) (local.get $b2))
                        (i8x16.eq (v128.load offset=3 (local.get $at)) (local.get $b3))))))
            (if (local.get $m) (then (call $quadBlock (local.get $len) (local.get $i) (local.get $m) (i32.const 0) (i32.const 0) (local.get $out) (i32.const 0) (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $blocks)))))
    (global.get $quads))
;; ------------------------------------------------------------------------
;; The token search: candidates for a large IOC set, at a cost that does not
;; follow the number of IOCs. Instead of searching for each IOC's text, it
;; finds the places where an IOC's kind of value can stand and looks each one
;; up in one hash table of 64-bit keys:
;;   - a dot or a byte beyond ASCII: the token around it (letters, digits,
;;     `.`, `-`, `_`, bytes beyond ASCII): each chain of digit groups joined
;;     by single dots that is a dotted quad (leading zeros read) as an IPv4
;;     address and, for every prefix length in use, its network; each suffix
;;     of it that starts a label (`a.evil.example`, `evil.example`) as a host
;;     name, a run of dots splitting the token; a token with bytes beyond ASCII and a dot, or a byte that starts
;;     a three-byte UTF-8 character (where full-width dots live), is a
;;     candidate as it is (an IDN's punycode is not in its text);
;;   - a 16-byte block of hex digits: the hex run around it, when 32, 40 or
;;     64 long, as a hash;
;;   - a colon: the run of hex digits, colons and dots around it is an IPv6
;;     candidate when it holds `::` or six colons (no IPv6 text has neither),
;;     but for `::ffff:` and a dotted quad (an IPv4 address: its dotted
;;     token is looked up as one).
;; A run touching either end of the chunk is read as if the chunk ended it:
;; the caller looks again across each chunk edge (token-search.ts). Keys: text is FNV-1a 64 over its bytes
;; read backwards (so each label suffix's key extends the last), ASCII
;; letters lower-cased; an IPv4 address or network is murmur3's finaliser
;; over tag << 32 | address (tag 0 an address, 1 + n a network of prefix n).
;; Every key has its low bit set, so 0 marks an empty slot.
;; memory[0, 256): each byte's class (1 token, 2 hex, 4 digit, 8 IPv6 run)
;; memory[256, 256 + 33): the IPv4 prefix lengths in use ($nprefix of them)
;; memory[512, 768): each byte's shape in a token (1 digit, 2 dot, 4 other,
;;   8 beyond ASCII, 16 a byte that starts a three-byte character or more)
;; memory[1024, 132096): a filter of two bits per key (a Bloom filter)
;; memory[132096, 132096 + 8 * ($tmask + 1)): the table
;; candidates are written as i32 offsets from src to $out, unordered; the
;; byte before src is read (src is past the table, never 0).
  (global $tmask (export "tmask") (mut i32) (i32.const 15))
  (global $nprefix (export "nprefix") (mut i32) (i32.const 0))
  ;; what to look for: 1 hashes, 2 host names, 4 IPv4, 8 IPv6 shapes, 16 beyond ASCII
  (global $want (export "want") (mut i32) (i32.const 0))
  (global $tout (mut i32) (i32.const 0))
  (global $tk (mut i32) (i32.const 0))

  (func $emit (param $at i32)
    (i32.store (i32.add (global.get $tout) (i32.shl (global.get $tk) (i32.const 2))) (local.get $at))
    (global.set $tk (i32.add (global.get $tk) (i32.const 1))))

  (func $textKey (param $p i32) (param $n i32) (result i64)
    (local $h i64) (local $c i32)
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $n))))
      (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))
        (then (local.set $c (i32.or (local.get $c) (i32.const 0x20)))))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.extend_i32_u (local.get $c))) (i64.const 0x100000001b3)))
      (br $l)))
    (i64.or (local.get $h) (i64.const 1)))

  (func $ipKey (param $v i32) (param $tag i32) (result i64)
    (local $x i64)
    (local.set $x (i64.or (i64.shl (i64.extend_i32_u (local.get $tag)) (i64.const 32)) (i64.extend_i32_u (local.get $v))))
    (local.set $x (i64.mul (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 33))) (i64.const 0xff51afd7ed558ccd)))
    (local.set $x (i64.mul (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 33))) (i64.const 0xc4ceb9fe1a85ec53)))
    (i64.or (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 33))) (i64.const 1)))

  ;; a hash's key: its hex digits eight at a time (lower-cased: `| 0x20`
  ;; leaves a digit as it is), each word mixed in, then murmur3's finaliser.
  ;; $n is 32, 40 or 64: no byte is read past the run.
  (func $hexKey (param $p i32) (param $n i32) (result i64)
    (local $h i64) (local $j i32)
    (local.set $h (i64.extend_i32_u (local.get $n)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $h (i64.mul (i64.xor (local.get $h)
        (i64.or (i64.load (i32.add (local.get $p) (local.get $j))) (i64.const 0x2020202020202020)))
        (i64.const 0x9e3779b97f4a7c15)))
      (local.set $h (i64.rotl (local.get $h) (i64.const 29)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $l)))
    (call $ipKey (i32.wrap_i64 (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32)))) (i32.wrap_i64 (i64.shr_u (local.get $h) (i64.const 7)))))

  ;; the key that says some host name IOC ends in this last label (from its
  ;; text's key): a token whose last label none
  ;; ends in has no other suffix to look up
  (func $lastLabelKey (param $h i64) (result i64)
    (i64.or (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))) (i64.const 0xbf58476d1ce4e5b9)) (i64.const 1)))

  ;; a key's two bits in the filter (2^20 bits at 1024): most tokens are no
  ;; IOC, and two bits in 128 KiB say so without a visit to the table
  (func $bit1 (param $k i64) (result i32)
    (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (i64.const 40))) (i32.const 0xfffff)))
  (func $bit2 (param $k i64) (result i32)
    (i32.and (i32.shr_u (i32.wrap_i64 (local.get $k)) (i32.const 8)) (i32.const 0xfffff)))
  (func $setBit (param $bit i32)
    (local $at i32)
    (local.set $at (i32.add (i32.const 1024) (i32.shr_u (local.get $bit) (i32.const 3))))
    (i32.store8 (local.get $at) (i32.or (i32.load8_u (local.get $at))
      (i32.shl (i32.const 1) (i32.and (local.get $bit) (i32.const 7))))))

  (func $slot (param $k i64) (result i32)
    (i32.and (i32.wrap_i64 (i64.xor (local.get $k) (i64.shr_u (local.get $k) (i64.const 32)))) (global.get $tmask)))

  ;; 1 when the table holds $k; with $add, puts it there when it does not
  (func $probe (param $k i64) (param $add i32) (result i32)
    (local $i i32) (local $at i32) (local $s i64)
    (local.set $i (call $slot (local.get $k)))
    (loop $next
      (local.set $at (i32.add (i32.const 132096) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $s (i64.load (local.get $at)))
      (if (i64.eq (local.get $s) (local.get $k)) (then (return (i32.const 1))))
      (if (i64.eqz (local.get $s))
        (then
          (if (local.get $add) (then (i64.store (local.get $at) (local.get $k))))
          (return (i32.const 0))))
      (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (global.get $tmask)))
      (br $next))
    (i32.const 0))

  (func $add (param $k i64)
    (call $setBit (call $bit1 (local.get $k)))
    (call $setBit (call $bit2 (local.get $k)))
    (drop (call $probe (local.get $k) (i32.const 1))))
  (func $has (param $k i64) (result i32)
    (local $bit i32)
    ;; the filter's two bits, written out: this runs for every token looked up
    (local.set $bit (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (i64.const 40))) (i32.const 0xfffff)))
    (if (i32.eqz (i32.and (i32.load8_u offset=1024 (i32.shr_u (local.get $bit) (i32.const 3)))
                          (i32.shl (i32.const 1) (i32.and (local.get $bit) (i32.const 7)))))
      (then (return (i32.const 0))))
    (local.set $bit (i32.and (i32.shr_u (i32.wrap_i64 (local.get $k)) (i32.const 8)) (i32.const 0xfffff)))
    (if (i32.eqz (i32.and (i32.load8_u offset=1024 (i32.shr_u (local.get $bit) (i32.const 3)))
                          (i32.shl (i32.const 1) (i32.and (local.get $bit) (i32.const 7)))))
      (then (return (i32.const 0))))
    (call $probe (local.get $k) (i32.const 0)))

  ;; Keys added in bulk, from a list the caller wrote at $at: $n entries of
  ;; two i32 each (one call for a whole IOC set, not three per IOC).
  ;; host names: (offset, length) of each text; itself and its last label
  (func (export "addHosts") (param $at i32) (param $n i32)
    (local $p i32) (local $len i32) (local $last i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $p (i32.load (local.get $at)))
      (local.set $len (i32.load offset=4 (local.get $at)))
      (call $add (call $textKey (local.get $p) (local.get $len)))
      ;; the last label: after the last dot
      (local.set $last (local.get $len))
      (block $found (loop $back
        (br_if $found (i32.eqz (local.get $last)))
        (br_if $found (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.sub (local.get $last) (i32.const 1)))) (i32.const 0x2e)))
        (local.set $last (i32.sub (local.get $last) (i32.const 1)))
        (br $back)))
      (call $add (call $lastLabelKey (call $textKey (i32.add (local.get $p) (local.get $last)) (i32.sub (local.get $len) (local.get $last)))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))
  ;; hashes: (offset, length) of each
  (func (export "addHashes") (param $at i32) (param $n i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (call $add (call $hexKey (i32.load (local.get $at)) (i32.load offset=4 (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))
  ;; IPv4 addresses and networks: (address, tag) of each
  (func (export "addAddresses") (param $at i32) (param $n i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (call $add (call $ipKey (i32.load (local.get $at)) (i32.load offset=4 (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))

  ;; 1 when the IPv4 address $v or one of its networks is in the table
  (func $ipv4Known (param $v i32) (result i32)
    (local $j i32) (local $n i32)
    (if (call $has (call $ipKey (local.get $v) (i32.const 0))) (then (return (i32.const 1))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $j) (global.get $nprefix)))
      (local.set $n (i32.load8_u (i32.add (i32.const 256) (local.get $j))))
      (if (call $has (call $ipKey
            (i32.wrap_i64 (i64.and (i64.extend_i32_u (local.get $v))
              (i64.shl (i64.const 0xffffffff) (i64.extend_i32_u (i32.sub (i32.const 32) (local.get $n))))))
            (i32.add (local.get $n) (i32.const 1))))
        (then (return (i32.const 1))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l)))
    (i32.const 0))

  ;; whether a chain of digit groups (groups before its last, $digits and
  ;; $cur of the last) is a dotted quad the table knows
  (func $chainKnown (param $groups i32) (param $digits i32) (param $cur i32) (param $v i64) (param $bad i32) (result i32)
    (if (local.get $digits)
      (then
        (local.set $bad (i32.or (local.get $bad) (i32.or (i32.gt_u (local.get $cur) (i32.const 255)) (i32.gt_u (local.get $digits) (i32.const 3)))))
        (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.extend_i32_u (local.get $cur))))
        (local.set $groups (i32.add (local.get $groups) (i32.const 1)))))
    (if (i32.or (local.get $bad) (i32.ne (local.get $groups) (i32.const 4))) (then (return (i32.const 0))))
    (call $ipv4Known (i32.wrap_i64 (local.get $v))))

  ;; a token of four digit groups and three dots (`10.24.132.206`, most dotted
  ;; tokens of a log), read in straight code: its address, or -1 when it is no
  ;; dotted quad (a group of four digits, an empty group: $chains reads it)
  (func $quadToken (param $src i32) (param $j i32) (param $e i32) (result i64)
    (local $v i32) (local $g i32) (local $cur i32) (local $d i32)
    (loop $group
      (local.set $cur (i32.sub (i32.load8_u (i32.add (local.get $src) (local.get $j))) (i32.const 0x30)))
      (if (i32.gt_u (local.get $cur) (i32.const 9)) (then (return (i64.const -1))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (block $digits
        (local.set $d (i32.sub (i32.load8_u (i32.add (local.get $src) (local.get $j))) (i32.const 0x30)))
        (br_if $digits (i32.or (i32.ge_u (local.get $j) (local.get $e)) (i32.gt_u (local.get $d) (i32.const 9))))
        (local.set $cur (i32.add (i32.mul (local.get $cur) (i32.const 10)) (local.get $d)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (local.set $d (i32.sub (i32.load8_u (i32.add (local.get $src) (local.get $j))) (i32.const 0x30)))
        (br_if $digits (i32.or (i32.ge_u (local.get $j) (local.get $e)) (i32.gt_u (local.get $d) (i32.const 9))))
        (local.set $cur (i32.add (i32.mul (local.get $cur) (i32.const 10)) (local.get $d)))
        (local.set $j (i32.add (local.get $j) (i32.const 1))))
      (if (i32.gt_u (local.get $cur) (i32.const 255)) (then (return (i64.const -1))))
      (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 8)) (local.get $cur)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (if (i32.lt_u (local.get $g) (i32.const 4))
        (then
          (if (i32.ge_u (local.get $j) (local.get $e)) (then (return (i64.const -1))))
          (if (i32.ne (i32.load8_u (i32.add (local.get $src) (local.get $j))) (i32.const 0x2e)) (then (return (i64.const -1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $group))))
    (if (i32.ne (local.get $j) (local.get $e)) (then (return (i64.const -1))))
    (i64.extend_i32_u (local.get $v)))

  ;; whether a chain of digit groups joined by single dots in token [$s, $e)
  ;; is a dotted quad the table knows (any other byte, or a second dot, ends a chain)
  (func $chains (param $src i32) (param $s i32) (param $e i32) (result i32)
    (local $j i32) (local $c i32) (local $v i64) (local $chain i32) (local $digits i32) (local $cur i32)
    (local $groups i32) (local $bad i32) (local $known i32)
    (local.set $j (local.get $s))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $j) (local.get $e)))
      (local.set $c (i32.load8_u (i32.add (local.get $src) (local.get $j))))
      (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
        (then
          (if (i32.eqz (local.get $chain))
            (then
              (local.set $chain (i32.const 1))
              (local.set $groups (i32.const 0)) (local.set $v (i64.const 0))
              (local.set $cur (i32.const 0)) (local.set $digits (i32.const 0)) (local.set $bad (i32.const 0))))
          (local.set $cur (i32.add (i32.mul (local.get $cur) (i32.const 10)) (i32.sub (local.get $c) (i32.const 0x30))))
          (local.set $digits (i32.add (local.get $digits) (i32.const 1))))
        (else (if (local.get $chain)
          (then
            (if (i32.and (i32.eq (local.get $c) (i32.const 0x2e)) (i32.ne (local.get $digits) (i32.const 0)))
              (then
                (local.set $bad (i32.or (local.get $bad) (i32.or (i32.gt_u (local.get $cur) (i32.const 255)) (i32.gt_u (local.get $digits) (i32.const 3)))))
                (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.extend_i32_u (local.get $cur))))
                (local.set $groups (i32.add (local.get $groups) (i32.const 1)))
                (local.set $cur (i32.const 0)) (local.set $digits (i32.const 0)))
              ;; a letter, or a second dot, ends the chain (at the first dot)
              (else
                (local.set $known (i32.or (local.get $known)
                  (call $chainKnown (local.get $groups) (local.get $digits) (local.get $cur) (local.get $v) (local.get $bad))))
                (local.set $chain (i32.const 0))))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l)))
    (if (local.get $chain)
      (then (local.set $known (i32.or (local.get $known)
        (call $chainKnown (local.get $groups) (local.get $digits) (local.get $cur) (local.get $v) (local.get $bad))))))
    (local.get $known))

  ;; whether a suffix of token [$s, $e) that starts a label is a host name the
  ;; table knows (trailing dots dropped; a run of dots splits the token as a
  ;; non-token byte would). Keys are read backwards, so each label's key
  ;; extends the last.
  (func $hostKnown (param $src i32) (param $s i32) (param $e i32) (result i32)
    (local $j i32) (local $c i32) (local $r i32) (local $h i64) (local $last i32) (local $dead i32)
    (local.set $j (local.get $e))
    (block $d (loop $l
      (br_if $d (i32.le_u (local.get $j) (local.get $s)))
      (br_if $d (i32.ne (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $j) (i32.const 1)))) (i32.const 0x2e)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1))) (br $l)))
    (local.set $h (i64.const 0xcbf29ce484222325))
    (local.set $r (i32.const 1))
    (local.set $last (i32.const 1))
    (block $d (loop $l
      (br_if $d (i32.le_u (local.get $j) (local.get $s)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (local.set $c (i32.load8_u (i32.add (local.get $src) (local.get $j))))
      (if (i32.eq (local.get $c) (i32.const 0x2e))
        (then
          (br_if $l (local.get $r))
          (if (i32.and (i32.gt_u (local.get $j) (local.get $s))
                       (i32.eq (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $j) (i32.const 1)))) (i32.const 0x2e)))
            (then
              (local.set $h (i64.const 0xcbf29ce484222325))
              (local.set $r (i32.const 1))
              (local.set $last (i32.const 1))
              (local.set $dead (i32.const 0))
              (br $l)))))
      (br_if $l (local.get $dead))
      (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))
        (then (local.set $c (i32.or (local.get $c) (i32.const 0x20)))))
      (local.set $r (i32.const 0))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.extend_i32_u (local.get $c))) (i64.const 0x100000001b3)))
      (if (i32.or (i32.eq (local.get $j) (local.get $s))
                  (i32.eq (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $j) (i32.const 1)))) (i32.const 0x2e)))
        (then
          ;; no IOC ends in this last label (`exe` of `svchost.exe`): none of the longer suffixes is one
          (if (local.get $last)
            (then
              (local.set $last (i32.const 0))
              (if (i32.eqz (call $has (call $lastLabelKey (i64.or (local.get $h) (i64.const 1)))))
                (then (local.set $dead (i32.const 1)) (br $l)))))
          (if (call $has (i64.or (local.get $h) (i64.const 1))) (then (return (i32.const 1))))))
      (br $l)))
    (i32.const 0))

  ;; the token around $p (a dot or a byte beyond ASCII); returns where it ends.
  ;; One tight pass finds its extent and what it holds (the shapes at 512);
  ;; only then is it read as what it can be.
  (func $token (param $src i32) (param $len i32) (param $p i32) (result i32)
    (local $s i32) (local $e i32) (local $k i32) (local $shape i32) (local $dots i32) (local $v i64)
    (local.set $s (local.get $p))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $s)))
      (br_if $d (i32.eqz (i32.and (i32.load8_u (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $s) (i32.const 1))))) (i32.const 1))))
      (local.set $s (i32.sub (local.get $s) (i32.const 1))) (br $l)))
    (local.set $e (local.get $s))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $e) (local.get $len)))
      (local.set $k (i32.load8_u offset=512 (i32.load8_u (i32.add (local.get $src) (local.get $e)))))
      (br_if $d (i32.eqz (local.get $k)))
      (local.set $shape (i32.or (local.get $shape) (local.get $k)))
      (local.set $dots (i32.add (local.get $dots) (i32.and (i32.shr_u (local.get $k) (i32.const 1)) (i32.const 1))))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $l)))
    ;; an IDN: its punycode is not in its text, so the token is a candidate as it is
    (if (i32.and (i32.ne (i32.and (local.get $shape) (i32.const 8)) (i32.const 0))
                 (i32.ne (i32.and (global.get $want) (i32.const 16)) (i32.const 0)))
      (then (if (i32.or (i32.ne (local.get $dots) (i32.const 0)) (i32.ne (i32.and (local.get $shape) (i32.const 16)) (i32.const 0)))
        (then (call $emit (local.get $s)) (return (local.get $e))))))
    (if (i32.and (i32.ne (i32.and (global.get $want) (i32.const 4)) (i32.const 0))
                 (i32.and (i32.ge_u (local.get $dots) (i32.const 3)) (i32.and (local.get $shape) (i32.const 1))))
      (then
        (if (i32.and (i32.eq (local.get $shape) (i32.const 3)) (i32.eq (local.get $dots) (i32.const 3)))
          (then
            (local.set $v (call $quadToken (local.get $src) (local.get $s) (local.get $e)))
            (if (i64.ge_s (local.get $v) (i64.const 0))
              (then
                (if (call $ipv4Known (i32.wrap_i64 (local.get $v))) (then (call $emit (local.get $s))))
                (return (local.get $e))))))
        (if (call $chains (local.get $src) (local.get $s) (local.get $e))
          (then (call $emit (local.get $s)) (return (local.get $e))))))
    ;; no host name is all digits at its end, nor without a dot
    (if (i32.and (i32.ne (i32.and (global.get $want) (i32.const 2)) (i32.const 0))
                 (i32.and (i32.ne (local.get $dots) (i32.const 0)) (i32.ne (i32.and (local.get $shape) (i32.const 12)) (i32.const 0))))
      (then (if (call $hostKnown (local.get $src) (local.get $s) (local.get $e))
        (then (call $emit (local.get $s))))))
    (local.get $e))
  ;; the hex run around the all-hex block at $i; returns where it ends
  (func $hexRun (param $src i32) (param $len i32) (param $i i32) (result i32)
    (local $s i32) (local $e i32) (local $n i32)
    (local.set $s (local.get $i))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $s)))
      (br_if $d (i32.eqz (i32.and (i32.load8_u (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $s) (i32.const 1))))) (i32.const 2))))
      (local.set $s (i32.sub (local.get $s) (i32.const 1))) (br $l)))
    (local.set $e (i32.add (local.get $i) (i32.const 16)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $e) (local.get $len)))
      (br_if $d (i32.eqz (i32.and (i32.load8_u (i32.load8_u (i32.add (local.get $src) (local.get $e)))) (i32.const 2))))
      (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $l)))
    (local.set $n (i32.sub (local.get $e) (local.get $s)))
    (if (i32.or (i32.or (i32.eq (local.get $n) (i32.const 32)) (i32.eq (local.get $n) (i32.const 40))) (i32.eq (local.get $n) (i32.const 64)))
      (then (if (call $has (call $hexKey (i32.add (local.get $src) (local.get $s)) (local.get $n)))
        (then (call $emit (local.get $s))))))
    (local.get $e))

  ;; the run of hex digits, colons and dots around the colon at $p; returns where it ends
  (func $ipv6Run (param $src i32) (param $len i32) (param $p i32) (result i32)
    (local $s i32) (local $e i32) (local $j i32) (local $colons i32) (local $double i32) (local $c i32) (local $last i32)
    (local.set $s (local.get $p))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $s)))
      (br_if $d (i32.eqz (i32.and (i32.load8_u (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $s) (i32.const 1))))) (i32.const 8))))
      (local.set $s (i32.sub (local.get $s) (i32.const 1))) (br $l)))
    (local.set $e (i32.add (local.get $p) (i32.const 1)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $e) (local.get $len)))
      (br_if $d (i32.eqz (i32.and (i32.load8_u (i32.load8_u (i32.add (local.get $src) (local.get $e)))) (i32.const 8))))
      (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $l)))
    ;; `::ffff:` and a dotted quad is an IPv4 address to the matchers, which
    ;; the search of dotted tokens looks up (the commonest IPv6 text of a log)
    (if (i32.ge_u (i32.sub (local.get $e) (local.get $s)) (i32.const 14))
      (then (if (i64.eq (i64.and (i64.or (i64.load (i32.add (local.get $src) (local.get $s))) (i64.const 0x20202020202020))
                                 (i64.const 0xffffffffffffff))
                        (i64.const 0x3a666666663a3a))
        (then (if (i64.ge_s (call $quadToken (local.get $src) (i32.add (local.get $s) (i32.const 7)) (local.get $e)) (i64.const 0))
          (then (return (local.get $e))))))))
    (local.set $j (local.get $s))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $j) (local.get $e)))
      (local.set $c (i32.load8_u (i32.add (local.get $src) (local.get $j))))
      (if (i32.eq (local.get $c) (i32.const 0x3a))
        (then
          (local.set $colons (i32.add (local.get $colons) (i32.const 1)))
          (local.set $double (i32.or (local.get $double) (local.get $last)))
          (local.set $last (i32.const 1)))
        (else (local.set $last (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    (if (i32.or (local.get $double) (i32.ge_u (local.get $colons) (i32.const 6)))
      (then (call $emit (local.get $s))))
    (local.get $e))

  (global $tokDone (mut i32) (i32.const 0))
  (global $hexDone (mut i32) (i32.const 0))
  (global $v6Done (mut i32) (i32.const 0))

  ;; a block the loop's test stopped at ($i its offset, $v its bytes): each
  ;; dot or byte beyond ASCII, the token around it; when all hex, the hex run;
  ;; each colon not after a quote, the run around it (each run read once)
  (func $block (param $src i32) (param $len i32) (param $i i32) (param $v v128) (param $hex i32)
    (local $m i32) (local $p i32)
    (if (i32.and (global.get $want) (i32.const 6))
      (then (local.set $m (i8x16.bitmask (i8x16.eq (local.get $v) (v128.load offset=768 (i32.const 0)))))))
    (if (i32.and (global.get $want) (i32.const 16))
      (then (local.set $m (i32.or (local.get $m) (i8x16.bitmask (local.get $v))))))
    (block $bits_done
      (loop $bits
        (br_if $bits_done (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (if (i32.and (i32.ge_u (local.get $p) (global.get $tokDone)) (i32.lt_u (local.get $p) (local.get $len)))
          (then (global.set $tokDone (call $token (local.get $src) (local.get $len) (local.get $p)))))
        (br $bits)))
    (if (i32.and (i32.and (local.get $hex) (i32.ne (i32.and (global.get $want) (i32.const 1)) (i32.const 0)))
                 (i32.and (i32.ge_u (local.get $i) (global.get $hexDone)) (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $len))))
      (then (global.set $hexDone (call $hexRun (local.get $src) (local.get $len) (local.get $i)))))
    (if (i32.and (global.get $want) (i32.const 8))
      (then
        (local.set $m (i32.and (i8x16.bitmask (i8x16.eq (local.get $v) (v128.load offset=784 (i32.const 0))))
          (i32.xor (i32.const -1) (i8x16.bitmask (i8x16.eq (v128.load (i32.sub (i32.add (local.get $src) (local.get $i)) (i32.const 1)))
                                                           (v128.load offset=800 (i32.const 0)))))))
        (block $cd
          (loop $cl
            (br_if $cd (i32.eqz (local.get $m)))
            (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (if (i32.and (i32.ge_u (local.get $p) (global.get $v6Done)) (i32.lt_u (local.get $p) (local.get $len)))
              (then (global.set $v6Done (call $ipv6Run (local.get $src) (local.get $len) (local.get $p)))))
            (br $cl))))))

  ;; JSON's `\u` escapes among the block at $i ($m: where `\u` starts): each
  ;; whose backslash is not itself escaped (`C:\\Users` is a backslash, then
  ;; `Users`), to $escOut ($pairs of them). A run of backslashes reaching back
  ;; to the chunk's start counts as an escape: a line parsed too many costs
  ;; time, one too few could cost a hit.
  (func $escapes (param $src i32) (param $len i32) (param $i i32) (param $m i32) (param $escOut i32)
    (local $p i32) (local $b i32)
    (block $done
      (loop $bits
        (br_if $done (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (if (i32.le_u (i32.add (local.get $p) (i32.const 2)) (local.get $len))
          (then
            (local.set $b (local.get $p))
            (block $d (loop $l
              (br_if $d (i32.eqz (local.get $b)))
              (br_if $d (i32.ne (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $b) (i32.const 1)))) (i32.const 0x5c)))
              (local.set $b (i32.sub (local.get $b) (i32.const 1))) (br $l)))
            (if (i32.or (i32.eqz (local.get $b)) (i32.eqz (i32.and (i32.sub (local.get $p) (local.get $b)) (i32.const 1))))
              (then
                (i32.store (i32.add (local.get $escOut) (i32.shl (global.get $pairs) (i32.const 2))) (local.get $p))
                (global.set $pairs (i32.add (global.get $pairs) (i32.const 1)))))))
        (br $bits))))

  ;; the line feeds among the block at $i ($m: where), to $lfOut ($feeds of them); none past $len
  (global $feeds (export "feeds") (mut i32) (i32.const 0))
  (func $lineFeeds (param $len i32) (param $i i32) (param $m i32) (param $lfOut i32)
    (local $p i32)
    (block $done
      (loop $bits
        (br_if $done (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (i32.store (i32.add (local.get $lfOut) (i32.shl (global.get $feeds) (i32.const 2))) (local.get $p))
        (global.set $feeds (i32.add (global.get $feeds) (i32.const 1)))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (br $bits))))

  ;; memory[768, 944): the block loop's constant vectors. Read from memory at
  ;; each use: V8 makes a constant splat again at each use in a loop (three
  ;; instructions), where a load is one. With $escOut (not 0), where JSON's
  ;; `\u` escapes start is found in the same pass ($escapes); with $lfOut,
  ;; where its lines end (the JSON-lines reader walks them without a search
  ;; a line).
  (func (export "tokenCandidates") (param $src i32) (param $len i32) (param $out i32) (param $escOut i32) (param $lfOut i32) (result i32)
    (local $i i32) (local $v v128) (local $m i32) (local $at i32) (local $hex i32)
    (global.set $pairs (i32.const 0))
    (global.set $feeds (i32.const 0))
    (global.set $tout (local.get $out))
    (global.set $tk (i32.const 0))
    (global.set $tokDone (i32.const 0))
    (global.set $hexDone (i32.const 0))
    (global.set $v6Done (i32.const 0))
    (if (i32.eqz (local.get $len)) (then (return (i32.const 0))))
    (v128.store offset=768 (i32.const 0) (i8x16.splat (i32.const 0x2e)))
    (v128.store offset=784 (i32.const 0) (i8x16.splat (i32.const 0x3a)))
    (v128.store offset=800 (i32.const 0) (i8x16.splat (i32.const 0x22)))
    (v128.store offset=816 (i32.const 0) (i8x16.splat (i32.const 0x20)))
    ;; a range test in one signed compare: b - lo < n unsigned is (b - lo) ^ 0x80 < n - 128 signed
    (v128.store offset=832 (i32.const 0) (i8x16.splat (i32.const 0x50)))
    (v128.store offset=848 (i32.const 0) (i8x16.splat (i32.const -118)))
    (v128.store offset=864 (i32.const 0) (i8x16.splat (i32.const 0x1f)))
    (v128.store offset=880 (i32.const 0) (i8x16.splat (i32.const -122)))
    (v128.store offset=896 (i32.const 0) (i8x16.splat (i32.const 0x5c)))
    (v128.store offset=912 (i32.const 0) (i8x16.splat (i32.const 0x75)))
    (v128.store offset=928 (i32.const 0) (i8x16.splat (i32.const 0x0a)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $at (i32.add (local.get $src) (local.get $i)))
        (local.set $v (v128.load (local.get $at)))
        ;; one test for the usual block: no dot, no byte beyond ASCII (its top
        ;; bit), no colon but after a quote (JSON's `"key":value`: an IPv6 text
        ;; has another colon, which finds the same run), not all hex digits
        (local.set $m (i8x16.bitmask (v128.or (local.get $v) (v128.or
          (i8x16.eq (local.get $v) (v128.load offset=768 (i32.const 0)))
          (v128.andnot (i8x16.eq (local.get $v) (v128.load offset=784 (i32.const 0)))
                       (i8x16.eq (v128.load offset=0 (i32.sub (local.get $at) (i32.const 1))) (v128.load offset=800 (i32.const 0))))))))
        (local.set $hex (i8x16.all_true (v128.or
          (i8x16.lt_s (i8x16.add (local.get $v) (v128.load offset=832 (i32.const 0))) (v128.load offset=848 (i32.const 0)))
          (i8x16.lt_s (i8x16.add (v128.or (local.get $v) (v128.load offset=816 (i32.const 0))) (v128.load offset=864 (i32.const 0)))
                      (v128.load offset=880 (i32.const 0))))))
        (if (i32.or (local.get $m) (local.get $hex))
          (then (call $block (local.get $src) (local.get $len) (local.get $i) (local.get $v) (local.get $hex))))
        (if (local.get $escOut)
          (then
            (local.set $m (i8x16.bitmask (v128.and (i8x16.eq (local.get $v) (v128.load offset=896 (i32.const 0)))
                                                   (i8x16.eq (v128.load offset=1 (local.get $at)) (v128.load offset=912 (i32.const 0))))))
            (if (local.get $m) (then (call $escapes (local.get $src) (local.get $len) (local.get $i) (local.get $m) (local.get $escOut))))))
        (if (local.get $lfOut)
          (then
            (local.set $m (i8x16.bitmask (i8x16.eq (local.get $v) (v128.load offset=928 (i32.const 0)))))
            (if (local.get $m) (then (call $lineFeeds (local.get $len) (local.get $i) (local.get $m) (local.get $lfOut))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (global.get $tk))

)
