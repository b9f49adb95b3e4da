DROP TABLE age_verification_audit;
