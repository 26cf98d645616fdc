using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsPortal.Tests.Accounts;

/// <summary>
/// A passkey authenticator in software, written from the WebAuthn Level 3 specification (not from the site's code): an
/// ES256 key pair made on registration, "none" attestation, and assertions signed over the authenticator data and the
/// hash of the client data, as a browser with a platform authenticator returns them.
/// </summary>
public sealed class SoftwarePasskey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _credentialId = RandomNumberGenerator.GetBytes(32);
    private string? _userHandle;
    private uint _signCount;

    /// <param name="origin">The page's origin the browser puts in its client data (a phishing page's would differ).</param>
    public SoftwarePasskey(string origin = "http://localhost") => Origin = origin;

    public string Origin { get; set; }

    /// <summary>False for a passkey whose count of uses stays 0, as many platform and synced passkeys' does.</summary>
    public bool CountsUses { get; init; } = true;

    public string Id => Base64Url.EncodeToString(_credentialId);

    /// <summary>The browser's JSON for <c>navigator.credentials.create</c> answered with a new key, for the site's creation options.</summary>
    public string Create(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var rpId = (string)options["rp"]!["id"]!;
        _userHandle = (string)options["user"]!["id"]!;
        var clientData = ClientData("webauthn.create", (string)options["challenge"]!);

        var point = _key.ExportParameters(false).Q;
        var coseKey = new Cbor().Map(5).Int(1).Int(2).Int(3).Int(-7).Int(-1).Int(1).Int(-2).Bytes(point.X!).Int(-3).Bytes(point.Y!).ToArray();
        var attested = new byte[16 + 2 + _credentialId.Length];
        BinaryPrimitives.WriteUInt16BigEndian(attested.AsSpan(16), (ushort)_credentialId.Length);
        _credentialId.CopyTo(attested, 18);
        // User present, user verified, attested credential data included.
        var authenticatorData = AuthenticatorData(rpId, 0x01 | 0x04 | 0x40, [.. attested, .. coseKey]);
        var attestationObject = new Cbor().Map(3).Text("fmt").Text("none").Text("attStmt").Map(0).Text("authData").Bytes(authenticatorData).ToArray();

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestationObject),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>The browser's JSON for <c>navigator.credentials.get</c> answered with this key, for the site's request options.</summary>
    public string Get(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!);
        _signCount += CountsUses ? 1u : 0u;
        var authenticatorData = AuthenticatorData((string)options["rpId"]!, 0x01 | 0x04, []);
        var signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = _userHandle,
        });
    }

    public void Dispose() => _key.Dispose();

    private byte[] ClientData(string type, string challenge)
        => JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin = Origin, crossOrigin = false });

    private byte[] AuthenticatorData(string rpId, byte flags, byte[] rest)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, _signCount);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), flags, .. counter, .. rest];
    }

    private string Credential(JsonObject response) => new JsonObject
    {
        ["id"] = Id,
        ["rawId"] = Id,
        ["type"] = "public-key",
        ["authenticatorAttachment"] = "platform",
        ["clientExtensionResults"] = new JsonObject(),
        ["response"] = response,
    }.ToJsonString();

    /// <summary>The few CBOR items (RFC 8949) an attestation object and a COSE key need.</summary>
    private sealed class Cbor
    {
        private readonly List<byte> _bytes = [];

        public Cbor Map(int pairs) => Head(5, (ulong)pairs);

        public Cbor Int(long value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));

        public Cbor Text(string value) => Raw(Head(3, (ulong)Encoding.UTF8.GetByteCount(value)), Encoding.UTF8.GetBytes(value));

        public Cbor Bytes(byte[] value) => Raw(Head(2, (ulong)value.Length), value);

        public byte[] ToArray() => [.. _bytes];

        private Cbor Raw(Cbor self, byte[] value)
        {
            _bytes.AddRange(value);
            return self;
        }

        private Cbor Head(int major, ulong value)
        {
            var type = (byte)(major << 5);
            if (value < 24)
            {
                _bytes.Add((byte)(type | (byte)value));
            }
            else if (value <= byte.MaxValue)
            {
                _bytes.AddRange([(byte)(type | 24), (byte)value]);
            }
            else
            {
                _bytes.AddRange([(byte)(type | 25), (byte)(value >> 8), (byte)value]);
            }

            return this;
        }
    }
}
