#!/usr/bin/env python3
"""Writes N synthetic imgvisa profiles, one compact JSON object per line (NDJSON).

Deterministic: the same --seed and N give the same bytes. Each profile is drawn from a persona
(new graduate abroad, J-1 resident, research scholar, H-1B candidate, waiver candidate, US or
Canadian citizen...), then each fact is left out with some probability, so verdicts spread over
eligible / ineligible / undetermined / not-applicable as they would for real users. Values stay
inside the fact dictionary (rules/facts/*.json); every line passes `imgvisa check`, and its dates
agree with each other, so none gets a consistency warning (docs/diagnostics.md, W001-W010).

  bench/gen_profiles.py 10000 --seed 7 > profiles.ndjson
"""

import argparse
import datetime
import glob
import json
import os
import random
import sys

# Weighted countries of medical school / citizenship (IMG sources in rough proportion).
COUNTRIES = [("IN", 30), ("PK", 8), ("NG", 6), ("EG", 5), ("PH", 4), ("MX", 4), ("CN", 3),
             ("BR", 3), ("IR", 3), ("SY", 2), ("VE", 2), ("CU", 1), ("LB", 2), ("JO", 2),
             ("NP", 2), ("BD", 3), ("KR", 2), ("CO", 2), ("DM", 4), ("GD", 4), ("CA", 3),
             ("GB", 2), ("IL", 1), ("SD", 1), ("YE", 1), ("AF", 1), ("MM", 1), ("HT", 1)]
SPECIALTIES = ["internal-medicine", "family-medicine", "pediatrics", "psychiatry", "neurology",
               "general-surgery", "pathology", "anesthesiology", "radiology", "cardiology",
               "clinical-cardiac-electrophysiology", "nephrology", "hematology-oncology"]
STATES = ["NY", "NJ", "MA", "OH", "MI", "TX", "CA", "IL", "PA", "FL", "WV", "KY", "MS", "AR",
          "LA", "AL", "TN", "WI", "MN", "GA"]
SPONSORS = ["ECFMG", "Example University", "State University Hospital", "NIH",
            "Community Health System", "Boston University", "Mount Sinai", "Ohio State"]
J_CATS = ["j1_clinical", "j1_research_scholar", "j1_professor", "j1_short_term_scholar",
          "j1_other"]
HISTORY_CATS = J_CATS + ["j2", "h1b", "h4", "l1", "l2", "f1", "o1", "tn", "b1_b2", "other"]
FUNDING = ["us_government", "home_government", "international_organization", "private", "none"]
PERSONAS = [("abroad_graduate", 22), ("j1_resident", 18), ("research_scholar", 12),
            ("h1b_candidate", 14), ("waiver_candidate", 12), ("student_f1", 6),
            ("us_citizen_img", 4), ("green_card", 3), ("canadian", 4), ("early_questions", 5)]


class Gen:
    def __init__(self, rng):
        self.r = rng

    def pick(self, weighted):
        items, weights = zip(*weighted)
        return self.r.choices(items, weights=weights)[0]

    def chance(self, p):
        return self.r.random() < p

    def date(self, first_year, last_year):
        start = datetime.date(first_year, 1, 1).toordinal()
        end = datetime.date(last_year, 12, 31).toordinal()
        return datetime.date.fromordinal(self.r.randint(start, end))

    def after(self, d, min_days, max_days):
        return d + datetime.timedelta(days=self.r.randint(min_days, max_days))

    def exam(self, earliest, p_pass=0.85):
        status = self.pick([("passed", 80 * p_pass), ("failed", 8), ("not_taken", 20)])
        e = {"status": status}
        attempts = {"passed": self.r.choice([1, 1, 1, 1, 2, 3]), "failed": self.r.randint(1, 4),
                    "not_taken": 0}[status]
        if status == "passed":
            e["date"] = str(self.after(earliest, 30, 900))
        e["attempts"] = attempts
        return e

    def profile(self, n):
        persona = self.pick(PERSONAS)
        country = self.pick(COUNTRIES)
        citizenship = [country]
        if self.chance(0.08):
            citizenship.append(self.pick(COUNTRIES))
            citizenship = sorted(set(citizenship))
        grad = self.date(2008, 2026)
        p = {"$id": f"applicant-{n:08d}-{self.r.getrandbits(64):016x}-{persona}"}

        status = {"us_citizen_img": "citizen", "green_card": "permanent_resident",
                  "abroad_graduate": "none", "early_questions": "none"}.get(persona, "nonimmigrant")
        if persona == "canadian":
            citizenship = ["CA"]
            status = self.r.choice(["none", "nonimmigrant"])
        p["us_status"] = status
        p["citizenship"] = citizenship
        p["last_permanent_residence"] = citizenship[0]
        in_us = status != "none" and self.chance(0.9)
        p["location"] = {"in_us": in_us}
        if persona == "early_questions":
            # The sparse profile of someone who has answered the first few questions.
            p["school"] = {"country": country}
            p["graduation"] = {"date": str(grad)}
            return p

        school_country = "US" if persona == "us_citizen_img" and self.chance(0.2) else country
        p["school"] = {"country": school_country,
                       "accreditor": "cacms" if school_country == "CA" else
                       ("lcme" if school_country == "US" else "other"),
                       "ecfmg_note_covers_graduation": self.chance(0.93)}
        if self.chance(0.8):
            p["school"]["recognized_accreditation"] = self.chance(0.9)
        p["graduation"] = {"date": str(grad)}
        p["education"] = {"credit_years": self.r.choice([4, 5, 5, 6])}
        p["documents"] = {"credentials_verified": self.chance(0.8)}

        step1 = self.exam(self.after(grad, -1100, -300))
        step2 = self.exam(self.after(grad, -500, 200))
        usmle = {"step1": step1, "step2ck": step2}
        if grad.year < 2021 or self.chance(0.3):
            cs = self.exam(self.after(grad, -400, 100), p_pass=0.9) if grad.year < 2021 \
                else {"status": "not_taken", "attempts": 0}
            if cs["status"] == "passed" and cs["date"] > "2020-03-15":
                cs["date"] = str(self.date(2016, 2019))
            usmle["step2cs"] = cs
        certified = step1["status"] == "passed" and step2["status"] == "passed"
        if certified and self.chance(0.5):
            usmle["step3"] = self.exam(self.after(grad, 300, 1500), p_pass=0.8)
        p["usmle"] = usmle

        ecfmg = {"application_submitted": self.chance(0.9)}
        if grad.year >= 2021 and self.chance(0.7):
            ecfmg["pathway"] = {"status": self.pick([("accepted", 6), ("applied", 2),
                                                      ("not_applied", 1), ("rejected", 1)]),
                                "number": self.r.randint(1, 6)}
            if ecfmg["pathway"]["status"] == "accepted" or self.chance(0.5):
                p["oet"] = {"date": str(self.after(grad, -200, 500)),
                            "listening": self.r.randint(300, 480),
                            "reading": self.r.randint(300, 480),
                            "writing": self.r.randint(280, 460),
                            "speaking": self.r.randint(300, 480)}
        cert = "issued" if certified and self.chance(0.8) else "not_issued"
        ecfmg["certificate"] = {"status": cert}
        # Dates that agree with each other, as check's consistency checks (W003-W010) expect: the
        # certificate after the degree and both exams, Step 3 after the certificate.
        issued = None
        if cert == "issued":
            passed = max(grad, *(datetime.date.fromisoformat(e["date"]) for e in (step1, step2)))
            issued = self.after(passed, 30, 700)
            ecfmg["certificate"]["issued_on"] = str(issued)
            ecfmg["certificate"]["valid_indefinitely"] = self.chance(0.7)
            if not ecfmg["certificate"]["valid_indefinitely"]:
                ecfmg["certificate"]["valid_until"] = str(
                    max(self.date(2026, 2029), issued + datetime.timedelta(days=365)))
        step3 = usmle.get("step3")
        if step3 and step3["status"] == "passed" and school_country not in ("US", "CA"):
            if issued is None:  # no certificate, no Step 3 for an IMG
                usmle["step3"] = {"status": "not_taken", "attempts": 0}
            elif step3["date"] < str(issued):
                step3["date"] = str(issued + datetime.timedelta(days=90))
        p["ecfmg"] = ecfmg

        if persona in ("j1_resident", "h1b_candidate", "waiver_candidate", "student_f1",
                       "abroad_graduate", "canadian") and self.chance(0.95):
            start = self.date(2025, 2028).replace(month=7, day=1)
            years = self.r.choice([1, 2, 3, 3, 4, 5])
            offer = {"program_type": self.pick([("acgme", 8), ("nst_at_acgme_institution", 1),
                                                ("other", 1)]),
                     "role": self.pick([("resident", 6), ("fellow", 3), ("research", 1),
                                        ("faculty", 1)]),
                     "specialty": self.r.choice(SPECIALTIES),
                     "start": str(start),
                     "end": str(start.replace(year=start.year + years) -
                                datetime.timedelta(days=1)),
                     "full_time": self.chance(0.95),
                     "signed": self.chance(0.8),
                     "patient_care": self.pick([("direct", 8), ("incidental", 1), ("none", 1)]),
                     "employer_type": self.pick([("higher_education", 3),
                                                 ("affiliated_nonprofit", 4),
                                                 ("nonprofit_research", 1),
                                                 ("government_research", 1), ("va", 1),
                                                 ("other", 2)]),
                     "state": self.r.choice(STATES),
                     "visa_sponsored": sorted(self.r.sample(["j1", "h1b", "o1", "tn"],
                                                            self.r.randint(1, 2)))}
            p["offer"] = offer
            p["state_authorization"] = self.pick([("training_license", 6), ("full_license", 2),
                                                  ("none", 1)])

        current = {"j1_resident": "j1_clinical", "research_scholar": "j1_research_scholar",
                   "h1b_candidate": self.r.choice(["j1_clinical", "f1", "h1b", "none"]),
                   "waiver_candidate": "j1_clinical", "student_f1": "f1",
                   "canadian": self.r.choice(["tn", "none"])}.get(persona, "none")
        if status != "nonimmigrant" and current != "none":
            current = "none"
        p["current_status"] = {"category": current}
        history = []
        if current != "none" or self.chance(0.25):
            first = self.date(2012, 2025)
            for i in range(self.r.choice([1, 2, 2, 3, 3])):
                cat = current if i == 0 and current != "none" else self.r.choice(HISTORY_CATS)
                start = self.after(first, 0, 400) if i == 0 else \
                    self.after(datetime.date.fromisoformat(history[-1].get("end", history[-1]["start"])), 1, 200)
                rec = {"category": cat, "sponsor": self.r.choice(SPONSORS), "start": str(start)}
                if self.chance(0.5):
                    rec["ongoing"] = True
                else:
                    rec["end"] = str(self.after(start, 90, 1500))
                if cat.startswith("j1"):
                    rec["funding"] = self.r.choice(FUNDING)
                    rec["skills_list"] = self.chance(0.3)
                if cat == "h1b":
                    rec["cap_counted"] = self.chance(0.7)
                if self.chance(0.4):
                    rec["days_outside_us"] = self.r.randint(0, 200)
                history.append(rec)
            history.sort(key=lambda h: h["start"])
            p["immigration"] = {"history": history}

        if persona in ("j1_resident", "waiver_candidate") or (current.startswith("j1")):
            p["son"] = {"country": citizenship[0],
                        "specialty": p.get("offer", {}).get("specialty", "internal-medicine"),
                        "expires": str(self.date(2026, 2032)),
                        "institution_specific": self.chance(0.1)}
            p["j1"] = {"exceptional_need_letter": self.chance(0.1),
                       "offer_changes_specialty": self.chance(0.1),
                       "specialty_changes_made": self.r.choice([0, 0, 0, 1]),
                       "insurance_meets_minimums": self.chance(0.9),
                       "dependents_accompanying": self.chance(0.4)}
        if persona == "research_scholar":
            p["j1"] = {"sponsor_designated": self.chance(0.9),
                       "program_funding": self.r.choice(["us_government",
                                                         "us_federal_research_grant",
                                                         "home_government", "other"]),
                       "program_skills_list": self.chance(0.3),
                       "insurance_meets_minimums": self.chance(0.9),
                       "visit_purpose": self.r.choice(["lecture", "observe", "consult", "train"])}
            p["offer"] = {"role": "research", "tenure_track": self.chance(0.1),
                          "employer_type": self.r.choice(["higher_education",
                                                          "nonprofit_research",
                                                          "government_research"]),
                          "patient_care": self.r.choice(["none", "incidental"]),
                          "start": str(self.date(2026, 2027)),
                          "state": self.r.choice(STATES)}
        if persona in ("h1b_candidate", "student_f1"):
            p["h1b"] = {"petition_route": self.r.choice(["in_us_change_or_extension",
                                                         "consular"]),
                        "employer_educational_or_research": self.chance(0.6),
                        "registration_selected": self.chance(0.3)}
            p["visa"] = {"valid_us_visa": self.chance(0.6), "valid_h1b_visa": self.chance(0.2)}
        if "visa" not in p and self.chance(0.8):
            p["visa"] = {"valid_us_visa": self.chance(0.5), "valid_h1b_visa": self.chance(0.1)}
        if "h1b" not in p and self.chance(0.3):
            p["h1b"] = {"ac21_eligible": self.chance(0.1), "year_abroad_reset": self.chance(0.2),
                        "renown": self.chance(0.05)}
        if persona == "canadian":
            p["tn"] = {"credential_evaluation": self.chance(0.7),
                       "provincial_license": self.chance(0.5)}
        if persona == "waiver_candidate":
            p["j212e"] = {"waiver": {"status": self.pick([("none", 5), ("pending", 2),
                                                          ("approved", 1), ("denied", 1)])},
                          "days_in_home_country_after_last_j": self.r.randint(0, 800)}
            p["waiver"] = {"job": {"health_facility": self.chance(0.9),
                                   "full_time": self.chance(0.95),
                                   "h1b": self.chance(0.9),
                                   "contract_years": self.r.choice([2, 3, 3, 3.5, 4]),
                                   "agrees_start_within_90_days": self.chance(0.85),
                                   "start": str(self.date(2026, 2028)),
                                   "state": self.r.choice(STATES),
                                   "specialty": self.r.choice(["family_medicine",
                                                               "general_internal_medicine",
                                                               "general_pediatrics",
                                                               "general_psychiatry",
                                                               "other_specialty"]),
                                   "employer_va": self.chance(0.1),
                                   "hpsa": self.chance(0.7),
                                   "hpsa_score": self.r.randint(0, 26),
                                   "mua_mup": self.chance(0.4),
                                   "in_arc_region": self.chance(0.2),
                                   "in_dra_region": self.chance(0.15)},
                           "residency_end": str(max(self.date(2026, 2028),
                                                    grad + datetime.timedelta(days=3 * 365))),
                           "state_slot_available": self.chance(0.6),
                           "request_submitted": self.chance(0.3)}
        return p

    def drop_some(self, p, rate):
        """Leaves out facts at random (never $id): what a person has not answered yet."""
        def walk(obj, depth):
            for key in list(obj):
                if key == "$id":
                    continue
                if isinstance(obj[key], dict):
                    walk(obj[key], depth + 1)
                    if not obj[key]:
                        del obj[key]
                elif self.chance(rate):
                    del obj[key]
        walk(p, 0)
        if self.chance(0.03):
            # An explicit null is "I don't know" too.
            p["documents"] = {"credentials_verified": None}
        return p


def load_dictionary(root):
    """The fact declarations of every rule file under `root` (files holding "facts")."""
    facts = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            facts.update(json.load(f).get("facts", {}))
    return facts


def conforms(value, decl):
    t = decl.get("type")
    if t == "enum":
        return value in decl.get("values", [])
    if t in ("integer", "number"):
        return decl.get("minimum", -1e300) <= value <= decl.get("maximum", 1e300)
    if t == "list" and "items" in decl:
        return all(conforms(v, decl["items"]) for v in value)
    return True


def conform(p, facts):
    """Leaves out what the rule set in force does not declare, so profiles track rules/."""
    def walk(obj, prefix):
        for key in list(obj):
            if not prefix and key in ("$id", "$schema", "$comment"):
                continue
            path = prefix + key
            value = obj[key]
            decl = facts.get(path)
            if decl is not None:
                if decl.get("type") == "list" and "fields" in decl:
                    for rec in value:
                        for name in list(rec):
                            fd = decl["fields"].get(name)
                            if fd is None or (rec[name] is not None and not conforms(rec[name], fd)):
                                del rec[name]
                elif value is not None and not conforms(value, decl):
                    del obj[key]
            elif isinstance(value, dict) and any(f.startswith(path + ".") for f in facts):
                walk(value, path + ".")
                if not value:
                    del obj[key]
            else:
                del obj[key]
    walk(p, "")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "..", "rules"),
                    help="rule set whose fact dictionary the profiles must fit")
    args = ap.parse_args()
    facts = load_dictionary(args.rules)
    gen = Gen(random.Random(args.seed))
    out = sys.stdout
    for n in range(args.count):
        p = conform(gen.drop_some(gen.profile(n), gen.r.choice([0.0, 0.02, 0.04, 0.1])), facts)
        out.write(json.dumps(p, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
