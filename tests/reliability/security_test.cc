// Transport security and access: TLS, mutual TLS, bearer tokens, and the
// loopback-only rule for plaintext. Certificates are made at test time
// with the openssl CLI.
#include "gtest/gtest.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki();
    ASSERT_TRUE(MakeTestPki(*dir_, pki_)) << "openssl failed";
    WriteFile(*dir_ / "tokens", "# accepted tokens\nalpha-token-123\n\n  beta-token-456  \n");
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }
  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address,
                                                   const std::string& cert = "",
                                                   const std::string& key = "") {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFileText(pki_->ca_cert);
    if (!cert.empty()) {
      ssl.pem_cert_chain = ReadFileText(cert);
      ssl.pem_private_key = ReadFileText(key);
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
  }
  static grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel,
                           std::initializer_list<std::pair<std::string, std::string>> md = {}) {
    auto stub = StubOn(channel);
    accord::v1::GetCountryRequest request;
    request.set_name("countries/my");
    accord::v1::Country country;
    auto context = ContextWith(md, std::chrono::seconds(5));
    return stub->GetCountry(context.get(), request, &country);
  }
  static TempDir* dir_;
  static TestPki* pki_;
};
TempDir* SecurityTest::dir_ = nullptr;
TestPki* SecurityTest::pki_ = nullptr;

TEST_F(SecurityTest, TlsServesVerifyingClientsAndRefusesPlaintext) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--tls_cert=" + pki_->server_cert,
                            "--tls_key=" + pki_->server_key}))
      << server.log();
  EXPECT_NE(server.log().find("TLS"), std::string::npos);
  grpc::Status ok = Call(TlsChannel(server.address()));
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(Call(InsecureChannel(server.address())).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(HealthOf(TlsChannel(server.address()), ""), 1);
}

TEST_F(SecurityTest, MutualTlsRequiresAClientCertificateFromTheConfiguredCa) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--tls_cert=" + pki_->server_cert,
                            "--tls_key=" + pki_->server_key, "--tls_client_ca=" + pki_->ca_cert}))
      << server.log();
  EXPECT_NE(server.log().find("mutual TLS"), std::string::npos);
  grpc::Status ok = Call(TlsChannel(server.address(), pki_->client_cert, pki_->client_key));
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  // No client certificate, or one from another CA: the handshake fails.
  EXPECT_EQ(Call(TlsChannel(server.address())).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Call(TlsChannel(server.address(), pki_->rogue_cert, pki_->rogue_key)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Call(InsecureChannel(server.address())).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityTest, BearerTokensGuardEveryRpcButHealth) {
  ServerProcess server;
  ASSERT_TRUE(
      server.Start({"--catalog=" + BundledCatalog(), "--auth_token_file=" + (*dir_ / "tokens")}))
      << server.log();
  auto channel = InsecureChannel(server.address());

  ErrorDetails missing = ReadError(Call(channel));
  EXPECT_EQ(missing.code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(missing.reason, "TOKEN_MISSING");
  EXPECT_EQ(missing.domain, "accord");
  EXPECT_EQ(missing.metadata["header"], "authorization");

  ErrorDetails not_bearer = ReadError(Call(channel, {{"authorization", "Basic YWxwaGE="}}));
  EXPECT_EQ(not_bearer.code, grpc::StatusCode::UNAUTHENTICATED);

  ErrorDetails wrong = ReadError(Call(channel, {{"authorization", "Bearer alpha-token-124"}}));
  EXPECT_EQ(wrong.code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.reason, "TOKEN_REJECTED");
  EXPECT_EQ(wrong.message.find("alpha-token"), std::string::npos);  // never echoed

  // Blanks after "Bearer" are no token at all.
  ErrorDetails blanks = ReadError(Call(channel, {{"authorization", "Bearer      "}}));
  EXPECT_EQ(blanks.code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(blanks.reason, "TOKEN_MISSING");

  EXPECT_TRUE(Call(channel, {{"authorization", "Bearer alpha-token-123"}}).ok());
  EXPECT_TRUE(Call(channel, {{"authorization", "bearer beta-token-456"}}).ok());

  // GetCatalogStatus is guarded too; health is open.
  auto stub = StubOn(channel);
  accord::v1::GetCatalogStatusRequest request;
  accord::v1::CatalogStatus status;
  auto context = ContextWith();
  EXPECT_EQ(stub->GetCatalogStatus(context.get(), request, &status).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(HealthOf(channel, ""), 1);
  EXPECT_EQ(HealthOf(channel, "accord.v1.AccordService"), 1);
  EXPECT_NE(server.log().find("reflection off"), std::string::npos);
}

TEST_F(SecurityTest, TokensOverMutualTls) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--tls_cert=" + pki_->server_cert,
                            "--tls_key=" + pki_->server_key, "--tls_client_ca=" + pki_->ca_cert,
                            "--auth_token_file=" + (*dir_ / "tokens")}))
      << server.log();
  auto channel = TlsChannel(server.address(), pki_->client_cert, pki_->client_key);
  EXPECT_EQ(Call(channel).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Call(channel, {{"authorization", "Bearer beta-token-456"}}).ok());
}

TEST_F(SecurityTest, PlaintextListensOnLoopbackOnlyUnlessOptedIn) {
  ServerProcess refused;
  EXPECT_FALSE(refused.Start({"--catalog=" + BundledCatalog(), "--listen=0.0.0.0:0"}, 10));
  EXPECT_NE(refused.log().find("loopback"), std::string::npos) << refused.log();
  // A name that merely starts like a loopback address is not one.
  ServerProcess lookalike;
  EXPECT_FALSE(
      lookalike.Start({"--catalog=" + BundledCatalog(), "--listen=127.evil.example:0"}, 10));
  EXPECT_NE(lookalike.log().find("not a loopback address"), std::string::npos) << lookalike.log();

  ServerProcess opted_in;
  ASSERT_TRUE(
      opted_in.Start({"--catalog=" + BundledCatalog(), "--listen=0.0.0.0:0", "--allow_remote"}))
      << opted_in.log();
  EXPECT_EQ(opted_in.address().rfind("0.0.0.0:", 0), 0u);

  ServerProcess tls_remote;
  ASSERT_TRUE(
      tls_remote.Start({"--catalog=" + BundledCatalog(), "--listen=0.0.0.0:0",
                        "--tls_cert=" + pki_->server_cert, "--tls_key=" + pki_->server_key}))
      << tls_remote.log();
}

TEST_F(SecurityTest, InconsistentSecurityFlagsRefuseToStart) {
  for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{
           {"--tls_cert=" + pki_->server_cert},
           {"--tls_client_ca=" + pki_->ca_cert},
           {"--tls_cert=/nonexistent.pem", "--tls_key=/nonexistent.key"},
           {"--auth_token_file=/nonexistent-tokens"}}) {
    ServerProcess server;
    std::vector<std::string> all = {"--catalog=" + BundledCatalog()};
    all.insert(all.end(), flags.begin(), flags.end());
    EXPECT_FALSE(server.Start(all, 10)) << flags[0];
    EXPECT_EQ(server.Wait(5), -1);  // already reaped by Start
  }
}

// Bad TLS material gets an error naming the problem (exit status 2), not a
// guess about the port.
TEST_F(SecurityTest, BadTlsMaterialIsNamedAtStart) {
  WriteFile(*dir_ / "garbage.pem", "this is not PEM\n");
  ASSERT_EQ(std::system(("openssl req -new -newkey rsa:2048 -nodes -subj /CN=expired -keyout " +
                         (*dir_ / "expired.key") + " -out " + (*dir_ / "expired.csr") +
                         " 2>/dev/null && openssl x509 -req -days -1 -in " +
                         (*dir_ / "expired.csr") + " -signkey " + (*dir_ / "expired.key") +
                         " -out " + (*dir_ / "expired.pem") + " 2>/dev/null")
                            .c_str()),
            0);
  struct BadCase {
    std::vector<std::string> flags;
    std::string message;
  };
  std::vector<BadCase> cases = {
      {{"--tls_cert=" + (*dir_ / "garbage.pem"), "--tls_key=" + pki_->server_key},
       "--tls_cert holds no PEM certificate"},
      {{"--tls_cert=" + pki_->server_cert, "--tls_key=" + (*dir_ / "garbage.pem")},
       "--tls_key holds no PEM private key"},
      {{"--tls_cert=" + pki_->server_cert, "--tls_key=" + pki_->client_key},
       "--tls_key does not match --tls_cert"},
      {{"--tls_cert=" + pki_->server_cert, "--tls_key=" + pki_->server_key,
        "--tls_client_ca=" + (*dir_ / "garbage.pem")},
       "--tls_client_ca holds no PEM certificate"},
      {{"--tls_cert=" + (*dir_ / "expired.pem"), "--tls_key=" + (*dir_ / "expired.key")},
       "expired on"},
  };
  for (const BadCase& c : cases) {
    ServerProcess server;
    std::vector<std::string> all = {"--catalog=" + BundledCatalog()};
    all.insert(all.end(), c.flags.begin(), c.flags.end());
    EXPECT_FALSE(server.Start(all, 10)) << c.message;
    std::string log = server.log();
    EXPECT_NE(log.find(c.message), std::string::npos) << log;
    EXPECT_EQ(log.find("another server"), std::string::npos) << log;
    EXPECT_EQ(log.find("port"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace accord::testing
