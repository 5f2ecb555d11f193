// Kotlin properties over the generated bindings (io/github/arichat/arichat.kt, written by
// uniffi-bindgen into target/uniffi/kotlin). UniFFI 0.32 exports a Rust method as a Kotlin
// function only, so `lead.id()` is what it generates; these read the same functions as
// properties (`lead.id`), the way Kotlin code reads state. Nothing is decided here: each
// one forwards to the function of the same name. PropertiesTest checks that every
// zero-argument query of the generated objects has its property.
@file:JvmName("Properties")

package io.github.arichat

import io.github.arichat.core.ErrorCode
import io.github.arichat.core.LeadChange
import io.github.arichat.core.LeadStatus
import io.github.arichat.core.LifecycleStage
import java.time.Instant

/** The error's kind, on any `ArichatException` (every case carries one). */
val ArichatException.code: ErrorCode
    get() = when (this) {
        is ArichatException.Core -> code
        is ArichatException.Store -> code
    }

/** [Lead.id]. */
val Lead.id: String get() = id()

/** [Lead.tenantId]. */
val Lead.tenantId: String get() = tenantId()

/** [Lead.contactId]. */
val Lead.contactId: String get() = contactId()

/** [Lead.status]. */
val Lead.status: LeadStatus get() = status()

/** [Lead.stage]. */
val Lead.stage: LifecycleStage get() = stage()

/** [Lead.createdAt]. */
val Lead.createdAt: Instant get() = createdAt()

/** [Lead.updatedAt]. */
val Lead.updatedAt: Instant get() = updatedAt()

/** [Lead.history]: a copy of the recorded changes, oldest first. */
val Lead.history: List<LeadChange> get() = history()

/** [CampaignCustomer.id]. */
val CampaignCustomer.id: String get() = id()

/** [CampaignBundle.version]. */
val CampaignBundle.version: String get() = version()

/** [AssignmentCache.bundle]. */
val AssignmentCache.bundle: CampaignBundle get() = bundle()

/** [ContactBook.tenantId]. */
val ContactBook.tenantId: String get() = tenantId()

/** [ContactBook.contacts]: a copy of every contact. */
val ContactBook.contacts: List<Contact> get() = contacts()

/** [ProfileSet.profiles]: a copy of every profile's JSON. */
val ProfileSet.profiles: List<String> get() = profiles()

/** [ProfileSet.size]. */
val ProfileSet.size: ULong get() = size()
