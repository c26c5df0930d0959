;; Query scoring's dot products in WebAssembly SIMD, bit for bit what the JavaScript kernel gives
;; (src/core/index/queryScores.ts): every score is one float64 sum in dimension order d = 0..dim-1 of
;; float64 products, starting at +0, rounded to float32 once at the store. The two f64 lanes of a v128
;; hold two different (query, chunk) sums, never two parts of one sum, and f64x2.mul / f64x2.add round
;; each lane exactly as a scalar JavaScript `s += q * c` does: no FMA, no reassociation, no relaxed SIMD.
;; Compiled to bytes by scripts/gen-wasm.cjs into src/generated/dotKernel.ts.
;;
;; Layout (byte addresses in the exported memory, set up by the caller):
;;   $q    queries in groups of 4, interleaved: query 4k+i, dimension d is the f64 at
;;         $q + (k * dim * 4 + d * 4 + i) * 8, so one v128.load gives two queries' values at d;
;;   $c    chunk rows as f64, row-major: chunk j, dimension d at $c + (j * dim + d) * 8;
;;   $out  f32 scores, query-major: query i (of this call), chunk j at $out + (i * $nc + j) * 4.
;; $nq and $nc are multiples of 4 (the caller pads with zero rows and ignores their scores).
;; 4 queries x 4 chunks per pass over the dimensions: 8 v128 accumulators, 16 independent sums.
(module
  (memory (export "memory") 1)
  (func (export "score") (param $q i32) (param $nq i32) (param $c i32) (param $nc i32) (param $dim i32) (param $out i32)
    (local $g i32) (local $j i32) (local $pq i32) (local $pc i32) (local $end i32)
    (local $qrow i32) (local $crow i32) (local $o i32) (local $ostride i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    ;; bytes per group of 4 interleaved queries, per chunk row, per output row
    (local.set $qrow (i32.shl (local.get $dim) (i32.const 5)))
    (local.set $crow (i32.shl (local.get $dim) (i32.const 3)))
    (local.set $ostride (i32.shl (local.get $nc) (i32.const 2)))
    (local.set $g (i32.const 0))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $g) (local.get $nq)))
        (local.set $j (i32.const 0))
        (block $chunks_done
          (loop $chunks
            (br_if $chunks_done (i32.ge_u (local.get $j) (local.get $nc)))
            ;; $aCV: chunk j+C, queries 4g'+2V (lane 0) and 4g'+2V+1 (lane 1)
            (local.set $a00 (v128.const i64x2 0 0)) (local.set $a01 (v128.const i64x2 0 0))
            (local.set $a10 (v128.const i64x2 0 0)) (local.set $a11 (v128.const i64x2 0 0))
            (local.set $a20 (v128.const i64x2 0 0)) (local.set $a21 (v128.const i64x2 0 0))
            (local.set $a30 (v128.const i64x2 0 0)) (local.set $a31 (v128.const i64x2 0 0))
            (local.set $pq (i32.add (local.get $q) (i32.mul (i32.shr_u (local.get $g) (i32.const 2)) (local.get $qrow))))
            (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $j) (local.get $crow))))
            (local.set $end (i32.add (local.get $pc) (local.get $crow)))
            (loop $dims
              (local.set $x0 (v128.load offset=0 (local.get $pq)))
              (local.set $x1 (v128.load offset=16 (local.get $pq)))
              (local.set $y (v128.load64_splat (local.get $pc)))
              (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $x0) (local.get $y))))
              (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $x1) (local.get $y))))
              (local.set $y (v128.load64_splat (i32.add (local.get $pc) (local.get $crow))))
              (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $x0) (local.get $y))))
              (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $x1) (local.get $y))))
              (local.set $y (v128.load64_splat (i32.add (local.get $pc) (i32.shl (local.get $crow) (i32.const 1)))))
              (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $x0) (local.get $y))))
              (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $x1) (local.get $y))))
              (local.set $y (v128.load64_splat (i32.add (local.get $pc) (i32.mul (local.get $crow) (i32.const 3)))))
              (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $x0) (local.get $y))))
              (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $x1) (local.get $y))))
              (local.set $pq (i32.add (local.get $pq) (i32.const 32)))
              (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
              (br_if $dims (i32.lt_u (local.get $pc) (local.get $end))))
            ;; Rounded to f32 once; query 4g'+i's row starts $ostride bytes after query 4g'+i-1's.
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $g) (local.get $nc)) (local.get $j)) (i32.const 2))))
            (f32.store offset=0 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a00))))
            (f32.store offset=4 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a10))))
            (f32.store offset=8 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a20))))
            (f32.store offset=12 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a30))))
            (local.set $o (i32.add (local.get $o) (local.get $ostride)))
            (f32.store offset=0 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a00))))
            (f32.store offset=4 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a10))))
            (f32.store offset=8 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a20))))
            (f32.store offset=12 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a30))))
            (local.set $o (i32.add (local.get $o) (local.get $ostride)))
            (f32.store offset=0 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a01))))
            (f32.store offset=4 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a11))))
            (f32.store offset=8 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a21))))
            (f32.store offset=12 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a31))))
            (local.set $o (i32.add (local.get $o) (local.get $ostride)))
            (f32.store offset=0 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a01))))
            (f32.store offset=4 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a11))))
            (f32.store offset=8 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a21))))
            (f32.store offset=12 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a31))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $chunks)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $groups)))))
