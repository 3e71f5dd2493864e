#include "service/server/tls_check.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

#include "absl/strings/str_cat.h"

namespace accord::server {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

absl::Time ToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return absl::InfinitePast();
  return absl::FromTimeT(timegm(&tm));
}

std::string Subject(X509* cert) {
  char buffer[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof(buffer));
  return buffer;
}

}  // namespace

absl::Status CheckTlsMaterial(const std::string& cert_pem, const std::string& key_pem,
                              const std::string& client_ca_pem, absl::Time now,
                              TlsCertificateInfo* info) {
  ERR_clear_error();
  Bio cert_bio = MemoryBio(cert_pem);
  Cert cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("--tls_cert holds no PEM certificate");
  }
  Bio key_bio = MemoryBio(key_pem);
  Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "--tls_key holds no PEM private key (or one protected by a passphrase)");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "--tls_key does not match --tls_cert: the key is not the certificate's");
  }
  absl::Time not_before = ToTime(X509_get0_notBefore(cert.get()));
  absl::Time not_after = ToTime(X509_get0_notAfter(cert.get()));
  if (now > not_after) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert (", Subject(cert.get()), ") expired on ",
                     absl::FormatTime(absl::RFC3339_sec, not_after, absl::UTCTimeZone()),
                     "; clients would refuse every handshake"));
  }
  if (now < not_before) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert (", Subject(cert.get()), ") is not valid before ",
                     absl::FormatTime(absl::RFC3339_sec, not_before, absl::UTCTimeZone())));
  }
  if (!client_ca_pem.empty()) {
    Bio ca_bio = MemoryBio(client_ca_pem);
    Cert ca(PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr));
    if (ca == nullptr) {
      ERR_clear_error();
      return absl::InvalidArgumentError("--tls_client_ca holds no PEM certificate");
    }
  }
  if (info != nullptr) {
    info->subject = Subject(cert.get());
    info->not_after = not_after;
  }
  return absl::OkStatus();
}

}  // namespace accord::server
