package arichat

import java.io.File
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import io.github.arichat.classify
import io.github.arichat.core.Intent
import io.github.arichat.core.Language
import io.github.arichat.core.OptOutSignal

/** Tests of `classify` (bindings/mobile/src/intent.rs). */
class IntentTest {
    @Test
    fun classifiesOptOutAndPriceQuestions() {
        val text = "no me interesa"
        val optOut = classify(text)
        assertEquals(Intent.OPT_OUT, optOut.primary)
        val m = optOut.intents.first { it.intent == Intent.OPT_OUT }
        assertTrue(m.confidence > 0.0 && m.confidence <= 1.0, "$m")
        assertEquals(m.evidence, text.substring(m.start.toInt(), m.end.toInt()))

        val question = "Holaaa 👋 q precio tiene el envio a Cali?"
        val price = classify(question)
        assertEquals(Intent.PRICE_INQUIRY, price.primary)
        assertEquals(listOf(Intent.PRICE_INQUIRY, Intent.GREETING), price.intents.map { it.intent })
        for (i in price.intents) {
            // Offsets are Kotlin string indices (UTF-16), even after an emoji.
            assertEquals(i.evidence, question.substring(i.start.toInt(), i.end.toInt()))
        }
        assertEquals(Intent.OTHER, classify("").primary)
        assertEquals(Language.UNKNOWN, classify("").language)
    }

    @Test
    fun classifiesWithConfidenceLanguageAndOptOutSignal() {
        val stop = classify("ya no me escriban más por favor")
        assertEquals(Intent.OPT_OUT, stop.primary)
        assertEquals(OptOutSignal.EXPLICIT, stop.optOut)
        assertEquals(Language.ES, stop.language)
        assertEquals(false, stop.uncertain)
        assertTrue(stop.confidence > 0.5 && stop.confidence <= 1.0, "$stop")
        // A keyword asked about is not a request to leave.
        val quoted = classify("me llegó un SMS que dice \"responda BAJA para cancelar\", ¿es de ustedes?")
        assertNotEquals(Intent.OPT_OUT, quoted.primary)
        assertNull(classify("how much is the annual fee?").optOut)
    }

    // Written by the Rust core (crates/arichat-core/tests/conformance_intents.rs) and read
    // by every runtime's tests.
    @Test
    fun givesTheSharedIntentVectors() {
        val vectors = JSONObject(
            File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
                .resolveSibling("tests/vectors/intents.json")
                .readText(),
        )
        val tolerance = vectors.getDouble("tolerance")
        val cases = vectors.getJSONArray("cases")
        assertTrue(cases.length() >= 40)
        for (i in 0 until cases.length()) {
            val case = cases.getJSONObject(i)
            val text = case.getString("text")
            val want = case.getJSONObject("expected")
            val got = classify(text)
            // The uniffi enums are the core's names in SCREAMING_CASE.
            assertEquals(want.getString("primary").uppercase(), got.primary.name, text)
            assertEquals(want.getString("language").uppercase(), got.language.name, text)
            assertEquals(want.getBoolean("uncertain"), got.uncertain, text)
            val optOut = if (want.isNull("opt_out")) null else want.getString("opt_out").uppercase()
            assertEquals(optOut, got.optOut?.name, text)
            assertTrue(
                Math.abs(got.confidence - want.getDouble("confidence")) <= tolerance,
                "$text: confidence ${got.confidence} vs ${want.getDouble("confidence")}",
            )
        }
    }
}
