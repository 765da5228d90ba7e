#include <aekit/backend/cpu/gemm.h>

#include <aekit/backend/cpu/small_product.h>
#include <aekit/backend/cpu/team_products.h>
#include <aekit/core/error.h>
#include <oneapi/dnnl/dnnl.h>

#include <atomic>

namespace aekit::cpu {

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (products_on_team()) {
    std::atomic<int> failed{dnnl_success};  // a team part must not throw (worker_team.h)
    split_output_on_team(m, n, [&](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
      const float* a_part = trans_a ? a + r0 : a + r0 * lda;
      const float* b_part = trans_b ? b + c0 * ldb : b + c0;
      const dnnl_status_t status = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', r1 - r0, c1 - c0, k, alpha,
                                              a_part, lda, b_part, ldb, beta, c + r0 * ldc + c0, ldc);
      if (status != dnnl_success) failed = status;
    });
    AEKIT_ASSERT(failed == dnnl_success, "dnnl_sgemm failed with status ", failed.load(), " for m=", m, " n=", n,
                 " k=", k);
    return;
  }
  // B transposed (the softplus forward) is left to oneDNN: on one thread dnnl_sgemm sums some of
  // those shapes (16 x 128 x 784) in another order.
  const OneThreadScope scope(!trans_b && runs_on_one_thread(m, n, k));
  dnnl_status_t status = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda,
                                    b, ldb, beta, c, ldc);
  AEKIT_ASSERT(status == dnnl_success, "dnnl_sgemm failed with status ", static_cast<int>(status),
               " for m=", m, " n=", n, " k=", k);
}

namespace {
const char* isa_name(dnnl_cpu_isa_t isa) {
  switch (isa) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    default: return "generic (no vector kernels)";
  }
}
}  // namespace

std::string gemm_description() {
  const dnnl_version_t* v = dnnl_version();
  return detail::concat("oneDNN ", v->major, ".", v->minor, ".", v->patch, " (dnnl_sgemm), ISA ",
                        isa_name(dnnl_get_effective_cpu_isa()));
}

}  // namespace aekit::cpu
