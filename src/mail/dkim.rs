//! DKIM signing of outgoing mail (docs/mail.md, "DKIM"). The key is read and checked once,
//! when the server starts, so a wrong key stops start-up instead of the first send.

use std::sync::Arc;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lettre::Message;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::{DecodePrivateKey, PrivateKeyInfo};

use crate::config::MailSettings;

/// The object identifier of Ed25519 keys (RFC 8410).
const ED25519_OID: &str = "1.3.101.112";

/// How messages are signed: the domain, selector and key of the settings.
#[derive(Clone)]
pub struct Signer(Arc<DkimConfig>);

impl Signer {
    /// The signer of `mail.dkim_*`, or none when `mail.dkim_domain` is empty.
    pub fn from_settings(mail: &MailSettings) -> anyhow::Result<Option<Self>> {
        let domain = mail.dkim_domain.trim();
        if domain.is_empty() {
            return Ok(None);
        }
        let path = mail.dkim_private_key_file.trim();
        let (text, setting) = if path.is_empty() {
            (mail.dkim_private_key.clone(), "mail.dkim_private_key")
        } else {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("mail.dkim_private_key_file: cannot read {path}"))?;
            (text, "mail.dkim_private_key_file")
        };
        let key = signing_key(&text).with_context(|| format!("{setting}: unusable DKIM key"))?;
        // The headers a mailbox shows and the ones that say what the message is. Not
        // `Content-Type`: lettre writes a multipart message's with the body, not among the
        // headers it signs, so a signature listing it would not verify.
        let mut headers = vec![
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "Auto-Submitted",
            "MIME-Version",
        ];
        if !mail.reply_to.trim().is_empty() {
            headers.push("Reply-To");
        }
        let config = DkimConfig::new(
            mail.dkim_selector.trim().to_string(),
            domain.to_string(),
            key,
            headers
                .into_iter()
                .map(HeaderName::new_from_ascii_str)
                .collect(),
            // Relaxed: survives relays that refold headers or trim trailing spaces.
            DkimCanonicalization {
                header: DkimCanonicalizationType::Relaxed,
                body: DkimCanonicalizationType::Relaxed,
            },
        );
        Ok(Some(Signer(Arc::new(config))))
    }

    pub fn sign(&self, message: &mut Message) {
        message.sign(&self.0);
    }
}

/// Reads a private key: RSA as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) or PKCS#8 PEM
/// (`BEGIN PRIVATE KEY`), Ed25519 as PKCS#8 PEM or as the base64 of its 32-byte seed.
fn signing_key(text: &str) -> anyhow::Result<DkimSigningKey> {
    let text = text.trim();
    if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
        return DkimSigningKey::new(text, DkimSigningAlgorithm::Rsa)
            .map_err(|err| anyhow::anyhow!("not an RSA private key in PKCS#1 PEM: {err}"));
    }
    if text.contains("-----BEGIN PRIVATE KEY-----") {
        let (label, der) = rsa::pkcs8::der::pem::decode_vec(text.as_bytes())
            .map_err(|err| anyhow::anyhow!("not a PEM private key: {err}"))?;
        if label != "PRIVATE KEY" {
            bail!("expected a PEM \"PRIVATE KEY\", found \"{label}\"");
        }
        let info = PrivateKeyInfo::try_from(der.as_slice())
            .map_err(|err| anyhow::anyhow!("not a PKCS#8 private key: {err}"))?;
        if info.algorithm.oid.to_string() == ED25519_OID {
            // The key is an OCTET STRING holding the 32-byte seed: 0x04 0x20 then the seed.
            let seed = match info.private_key {
                [0x04, 0x20, seed @ ..] if seed.len() == 32 => seed,
                _ => bail!("not an Ed25519 private key of 32 bytes"),
            };
            return ed25519(&STANDARD.encode(seed));
        }
        // lettre reads RSA keys as PKCS#1: convert.
        let rsa = rsa::RsaPrivateKey::from_pkcs8_der(&der)
            .map_err(|err| anyhow::anyhow!("neither an RSA nor an Ed25519 key: {err}"))?;
        let pkcs1 = rsa
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|err| anyhow::anyhow!("cannot convert the RSA key: {err}"))?;
        return DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa)
            .map_err(|err| anyhow::anyhow!("not a usable RSA key: {err}"));
    }
    if text.contains("-----BEGIN") {
        bail!(
            "expected a PEM \"RSA PRIVATE KEY\" or \"PRIVATE KEY\" (an encrypted key must be decrypted first)"
        );
    }
    ed25519(text)
}

fn ed25519(seed_base64: &str) -> anyhow::Result<DkimSigningKey> {
    DkimSigningKey::new(seed_base64, DkimSigningAlgorithm::Ed25519).map_err(|err| {
        anyhow::anyhow!("neither a PEM key nor the base64 of a 32-byte Ed25519 private key: {err}")
    })
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::signing_key;

    #[test]
    fn keys_that_are_not_keys_are_named() {
        let err = signing_key("hello").unwrap_err().to_string();
        assert!(err.contains("Ed25519"), "{err}");
        let err =
            signing_key("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")
                .unwrap_err()
                .to_string();
        assert!(err.contains("PKCS#1"), "{err}");
        let err = signing_key(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("decrypted"), "{err}");
        // A 32-byte seed, base64: accepted.
        assert!(signing_key(&STANDARD.encode([7u8; 32])).is_ok());
    }
}
