package dev.genaiprocessors.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the model files the engines read from their Maven jars (Maven checks the jars themselves): a
 * dependency upgrade that changes a model fails here, so that its licence and quality are looked at again.
 * Also checks that the licences ship.
 */
class ModelFilesTest {

  private static final Map<String, String> MODELS =
      Map.ofEntries(
          Map.entry(
              "edu/cmu/sphinx/models/en-us/cmudict-en-us.dict",
              "bab57556ec6547e2e4d712e33d144a0e46739da48420c12f2e53e77d0d976c19"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us.lm.bin",
              "4ed8f52ed0413045f0e9c65a4709953896b6ff9a99ebc10f7ef926f662c5e506"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/feat.params",
              "8a85ad28696c7f2343444e7633ce30f165fed8740f821954544c6fbd46f4951f"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/mdef",
              "51d3b9b2fb9dffcb6d930077c6ec16e330f79bbdad5082b5b3d5847aac912705"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/means",
              "832019e32cac12eb318964f96f469034acb12d0348eeddc3831831a100cb4dd4"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/mixture_weights",
              "bf4ad3fdc50813b6ffbc8a06c0f3ad0fc57675f8c7da5680833a7538d1962562"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/noisedict",
              "7295b07df2c204c4f87c6782b6be1a3859d7006d4e3864181c955d6dab105a33"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/sendump",
              "8c9564c0d5bef69ca9d9bf1014abe162f071644cf02cf1fa8a483c3dc165a7a8"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/transition_matrices",
              "c1f7f28ea43177be734be1f88bd7f1b9a853d0e660f8599c67c6eaeca8bb539a"),
          Map.entry(
              "edu/cmu/sphinx/models/en-us/en-us/variances",
              "b00d696f85e96834fc10f8e5f06428d8c4db6bffdbe5845b6f69bf6efbc48fa5"),
          Map.entry(
              "com/sun/speech/freetts/en/us/cmu_us_kal/cmu_us_kal16.bin",
              "52000ba13a943b11335f8180a2bb5d342dba7aa42a46b0712339b0362332c0f8"),
          Map.entry(
              "com/sun/speech/freetts/en/us/cmu_us_kal/cmu_us_kal16.idx",
              "ff48a2147d1dd5fe8ce71564f0440e56e2efc09a8f83f9e61a82dac167d047e5"),
          Map.entry(
              "com/sun/speech/freetts/en/us/cmulex_compiled.bin",
              "6c23ddb32a3aaec5c3a5e48a65f6b1b9e56021c88105ea78d228d7613149cb63"),
          Map.entry(
              "com/sun/speech/freetts/en/us/cmulex_lts.bin",
              "69e08ea0efc0b62d1c380aa3b2867a3682fd2f06cfe40c53845f9924707bf63a"),
          Map.entry(
              "com/sun/speech/freetts/en/us/cmulex_addenda.bin",
              "758875a492b9063dbcaa7fcae99b8b1fe8c00137734c623c1671af8bd28b14ab"),
          Map.entry(
              "all-minilm-l6-v2-q.onnx",
              "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1"),
          Map.entry(
              "all-minilm-l6-v2-q-tokenizer.json",
              "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"));

  @Test
  void theModelFilesAreTheOnesThisModuleWasCheckedWith()
      throws IOException, NoSuchAlgorithmException {
    for (Map.Entry<String, String> model : MODELS.entrySet()) {
      assertThat(sha256(model.getKey())).as(model.getKey()).isEqualTo(model.getValue());
    }
  }

  @Test
  void theLicencesAndTheNoticeShip() throws IOException {
    for (String file :
        new String[] {
          "META-INF/NOTICE",
          "META-INF/licenses/sphinx4-LICENSE.txt",
          "META-INF/licenses/sphinx4-en-us-acoustic-model-LICENSE.txt",
          "META-INF/licenses/freetts-LICENSE.txt",
          "META-INF/licenses/all-MiniLM-L6-v2-LICENSE.txt"
        }) {
      try (InputStream in = ModelFilesTest.class.getClassLoader().getResourceAsStream(file)) {
        assertThat(in).as(file).isNotNull();
        assertThat(new String(in.readAllBytes())).as(file).containsIgnoringCase("copyright");
      }
    }
  }

  private static String sha256(String resource) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = ModelFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the class path").isNotNull();
      DigestInputStream digesting = new DigestInputStream(in, digest);
      digesting.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
