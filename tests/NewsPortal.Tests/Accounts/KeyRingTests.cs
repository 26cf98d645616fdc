using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Accounts;

/// <summary>The key ring that signs sessions, encrypted at rest with the certificate named by DataProtection:Certificate.</summary>
public sealed class KeyRingTests : IDisposable
{
    private const string CertificatePassword = "pfx-password";
    private readonly TempFolder _folder = new();

    [OwnKeyRingFact]
    public async Task WithACertificate_TheStoredKeysAreEncrypted_AndASessionOutlastsARestart()
    {
        var certificate = WriteCertificate("ring.pfx", RSA.Create(2048));
        using var first = new CertificateNodeFactory(null, ("DataProtection:Certificate", certificate));
        var session = await SignInAsync(first);

        var key = Assert.Single(StoredKeys(first));
        Assert.DoesNotContain(key.Descendants(), element => element.Name.LocalName == "masterKey");
        Assert.Contains(key.Descendants(), element => element.Name.LocalName == "encryptedSecret");
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(first, session));

        // The same store started again with the same certificate reads the key it wrote: the editor is still signed in.
        using var restarted = new CertificateNodeFactory(first.Store, ("DataProtection:Certificate", certificate));
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(restarted, session));

    }

    [OwnKeyRingFact]
    public async Task ANodeWithoutTheCertificate_DoesNotStart_AndLeavesTheEncryptedRingAsItWas()
    {
        var certificate = WriteCertificate("ring.pfx", RSA.Create(2048));
        using var first = new CertificateNodeFactory(null, ("DataProtection:Certificate", certificate));
        var session = await SignInAsync(first);

        // Started, it would have made a key of its own, stored plain, which the other nodes would then sign with.
        using var withoutCertificate = new CertificateNodeFactory(first.Store);
        var error = Assert.ThrowsAny<Exception>(() => withoutCertificate.CreateClient());

        Assert.Contains("key ring holds 1 key(s) in use that no configured certificate can read", error.Message);
        Assert.Contains("DataProtection:Certificate", error.Message);
        var key = Assert.Single(StoredKeys(first));
        Assert.Contains(key.Descendants(), element => element.Name.LocalName == "encryptedSecret");
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(first, session));
    }

    [OwnKeyRingFact]
    public async Task ACertificateNamedOnlyAmongThePreviousOnes_KeepsEditorsSignedIn_AndNewKeysArePlain()
    {
        var certificate = WriteCertificate("ring.pfx", RSA.Create(2048));
        using var first = new CertificateNodeFactory(null, ("DataProtection:Certificate", certificate));
        var session = await SignInAsync(first);

        // How a site stops encrypting its key ring without signing anyone out.
        using var stopped = new CertificateNodeFactory(first.Store, ("DataProtection:PreviousCertificates", certificate));
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(stopped, session));

        var added = stopped.Services.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var stored = StoredKeys(stopped).Single(element => (Guid?)element.Attribute("id") == added.KeyId);
        Assert.Contains(stored.Descendants(), element => element.Name.LocalName == "masterKey");
    }

    [SqliteFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheKeysFolder_IsOpenToTheSitesUserAlone()
    {
        using var factory = new CertificateNodeFactory(null);
        await SignInAsync(factory);

        var repository = Assert.IsType<FileSystemXmlRepository>(factory.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(repository.Directory.FullName));
    }

    [OwnKeyRingFact]
    public async Task AReplacedCertificate_NamedAmongThePreviousOnes_KeepsEditorsSignedIn()
    {
        var old = WriteCertificate("old.pfx", RSA.Create(2048));
        var replacement = WriteCertificate("new.pfx", RSA.Create(2048));
        using var first = new CertificateNodeFactory(null, ("DataProtection:Certificate", old));
        var session = await SignInAsync(first);

        using var replaced = new CertificateNodeFactory(first.Store, ("DataProtection:Certificate", replacement), ("DataProtection:PreviousCertificates", old));
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(replaced, session));

        // Forgotten, the old certificate leaves the key it encrypted unreadable: the node says so instead of starting.
        using var oldOneForgotten = new CertificateNodeFactory(first.Store, ("DataProtection:Certificate", replacement));
        var error = Assert.ThrowsAny<Exception>(() => oldOneForgotten.CreateClient());
        Assert.Contains("DataProtection:PreviousCertificates", error.Message);
    }

    [OwnKeyRingFact]
    public async Task KeysNoLongerInUse_ThatNoCertificateReads_DoNotStopTheStart()
    {
        var old = WriteCertificate("old.pfx", RSA.Create(2048));
        using var first = new CertificateNodeFactory(null, ("DataProtection:Certificate", old));
        var manager = first.Services.GetRequiredService<IKeyManager>();
        var now = first.Clock.GetUtcNow();
        var expired = manager.CreateNewKey(now.AddDays(-200), now.AddDays(-110));
        manager.CreateNewKey(now.AddDays(-10), now.AddDays(80));
        foreach (var key in manager.GetAllKeys().Where(key => key.KeyId != expired.KeyId))
        {
            manager.RevokeKey(key.KeyId, "replaced");
        }

        // Kept only to read older cookies, they do not make a node with another certificate refuse to start.
        using var replaced = new CertificateNodeFactory(first.Store, ("DataProtection:Certificate", WriteCertificate("new.pfx", RSA.Create(2048))));
        var session = await SignInAsync(replaced);

        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(replaced, session));
        Assert.Contains(StoredKeys(replaced), key => (Guid?)key.Attribute("id") == expired.KeyId);
    }

    [Theory]
    [InlineData("missing", "DataProtection:Certificate names ", "which is not a file")]
    [InlineData("wrong-password", "DataProtection:Certificate: ", "could not be read as a PKCS#12 (.pfx) file with DataProtection:CertificatePassword")]
    [InlineData("no-private-key", "DataProtection:Certificate: ", "holds no RSA private key")]
    [InlineData("elliptic-curve", "DataProtection:Certificate: ", "holds no RSA private key")]
    [InlineData("previous-missing", "DataProtection:PreviousCertificates names ", "which is not a file")]
    public void ACertificateThatCannotServe_StopsTheStart_NamingTheSetting(string kind, string setting, string problem)
    {
        var good = WriteCertificate("good.pfx", RSA.Create(2048));
        (string, string)[] settings = kind switch
        {
            "missing" => [("DataProtection:Certificate", Path.Combine(_folder.Path, "nowhere.pfx"))],
            "wrong-password" => [("DataProtection:Certificate", good), ("DataProtection:CertificatePassword", "not-the-password")],
            "no-private-key" => [("DataProtection:Certificate", WritePublicPartOnly(good))],
            "elliptic-curve" => [("DataProtection:Certificate", WriteCertificate("ec.pfx", ECDsa.Create(ECCurve.NamedCurves.nistP256)))],
            _ => [("DataProtection:Certificate", good), ("DataProtection:PreviousCertificates", Path.Combine(_folder.Path, "gone.pfx"))],
        };
        using var factory = new CertificateNodeFactory(null, settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(setting, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain(CertificatePassword, error.ToString());
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<string> SignInAsync(EditorialFactory factory)
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        using var client = factory.CreatePlainClient();
        using var signedIn = await client.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("newsportal.auth=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static IEnumerable<System.Xml.Linq.XElement> StoredKeys(EditorialFactory node)
        => node.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository!.GetAllElements().Where(element => element.Name.LocalName == "key");

    private static async Task<HttpStatusCode> AdminStatusAsync(EditorialFactory node, string session)
    {
        using var client = node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Add("Cookie", session);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private string WriteCertificate(string name, AsymmetricAlgorithm key)
    {
        using (key)
        {
            var request = key switch
            {
                RSA rsa => new CertificateRequest("CN=NewsPortal key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ec => new CertificateRequest("CN=NewsPortal key ring", ec, HashAlgorithmName.SHA256),
                _ => throw new ArgumentException("RSA or ECDsa", nameof(key)),
            };
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var path = Path.Combine(_folder.Path, name);
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
            return path;
        }
    }

    private string WritePublicPartOnly(string pfx)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, CertificatePassword);
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        var path = Path.Combine(_folder.Path, "public-only.pfx");
        File.WriteAllBytes(path, publicOnly.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }

    /// <summary>A node on <paramref name="store"/> (a new store when null) with the certificate settings given.</summary>
    private sealed class CertificateNodeFactory(TestStore? store, params (string Key, string Value)[] settings) : EditorialFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in store?.Settings ?? [])
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("DataProtection:CertificatePassword", CertificatePassword);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
