package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.regex.Pattern;

/**
 * Users: creation by appservices, by ordinary registration and by tests, the checks Synapse runs on each path
 * (spec-digest §1.3, §4.4), login and devices.
 */
public final class Accounts {
    private static final Pattern VALID_LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    /** What Python's {@code int()} accepts among valid localparts: a sign, digits, single underscores between. */
    private static final Pattern PYTHON_INT = Pattern.compile("[+-]?[0-9]+(_[0-9]+)*");
    private final HomeserverModel model;

    public Accounts(HomeserverModel model) {
        this.model = model;
    }

    /**
     * Synapse's {@code check_username} for ordinary registration, in its order: characters, empty, leading
     * underscore, exclusive appservice namespaces, length, taken, numeric (reserved for guests).
     */
    public String checkUsername(String localpart) {
        return checkUsername(localpart, null);
    }

    /**
     * {@link #checkUsername(String)} for a registration whose auth session already made {@code assignedUserId}
     * (null if none): that user passes at once (the client retries), any other is refused.
     */
    public String checkUsername(String localpart, String assignedUserId) {
        synchronized (model) {
            if (localpart.isEmpty()) {
                throw MatrixException.invalidUsername("User ID cannot be empty");
            }
            if (!VALID_LOCALPART.matcher(localpart).matches()) {
                throw MatrixException.invalidUsername("User ID can only contain characters a-z, 0-9, or '=_-./+'");
            }
            if (localpart.startsWith("_")) {
                throw MatrixException.invalidUsername("User ID may not begin with _");
            }
            String userId = "@" + localpart + ":" + model.serverName();
            if (assignedUserId != null) {
                if (userId.equals(assignedUserId)) {
                    return userId;
                }
                throw MatrixException.unknown(400, "A different user ID has already been registered for this session");
            }
            for (Appservice as : model.appservices()) {
                if (as.matcher().isInterestedInUser(userId) && as.matcher().isExclusiveUser(userId)) {
                    throw MatrixException.exclusive("This user ID is reserved by an application service.");
                }
            }
            if (userId.length() > 255) {
                throw MatrixException.invalidUsername("User ID may not be longer than 255 characters");
            }
            if (model.user(userId) != null) {
                throw MatrixException.userInUse();
            }
            if (PYTHON_INT.matcher(localpart).matches()) {
                // Synapse tries int(localpart): guests get numeric ids, so nobody else may.
                throw MatrixException.invalidUsername("Numeric user IDs are reserved for guest users.");
            }
            return userId;
        }
    }

    /** A password's hash, as the registration keeps it in its auth session until the user is made. */
    public String hashPassword(String password) {
        return Passwords.hash(password);
    }

    /** Ordinary registration after the checks, with a hash of {@link #hashPassword}; returns the new user. */
    public User registerOrdinary(String localpart, String passwordHash, String displayname) {
        synchronized (model) {
            String userId = checkUsername(localpart);
            User u = create(userId, null, false);
            u.passwordHash(passwordHash);
            if (displayname != null) {
                u.displayname(displayname);
            }
            return u;
        }
    }

    /**
     * Appservice registration (spec-digest §4.4 steps 6–8): in this appservice's namespace or its sender; not
     * exclusive to another appservice; not taken. With {@code requireExclusive} (the platform's rule) the user
     * must fall in an exclusive users namespace of this appservice.
     */
    public User registerForAppservice(Appservice as, String localpart, boolean requireExclusive) {
        synchronized (model) {
            String userId = "@" + localpart + ":" + model.serverName();
            if (!as.matcher().isInterestedInUser(userId)) {
                throw MatrixException.exclusive("Invalid user localpart for this application service.");
            }
            for (Appservice other : model.appservices()) {
                if (other != as && other.matcher().isInterestedInUser(userId) && other.matcher().isExclusiveUser(userId)) {
                    throw MatrixException.exclusive("This user ID is reserved by an application service.");
                }
            }
            if (requireExclusive && !as.matcher().isExclusiveUser(userId)) {
                throw MatrixException.exclusive("Platform rule: an appservice may only create users inside an "
                        + "exclusive users namespace (" + userId + " is not exclusive to " + as.id() + ")");
            }
            if (model.user(userId) != null && !userId.equals(as.senderUserId())) {
                throw MatrixException.userInUse();
            }
            User existing = model.user(userId);
            if (existing != null) {
                // Synapse answers 200 with a new login for the sender user (synapse-observed §10).
                return existing;
            }
            return create(userId, as.matcher().isExclusiveUser(userId) ? as.id() : null, false);
        }
    }

    /** Creates a user directly (tests, control API, seeded scenarios); remote users are never "registered". */
    public User ensureUser(String userId, String displayname) {
        synchronized (model) {
            User u = model.user(userId);
            if (u == null) {
                u = create(userId, null, !model.isMine(userId));
            }
            if (displayname != null) {
                u.displayname(displayname);
            }
            return u;
        }
    }

    /**
     * The appservice's sender as a user of its own, made on its first write of account data or of a profile
     * field: Synapse keeps both for the sender without registering it, and finds no profile for it until it sets
     * one.
     */
    public User ensureSender(String userId) {
        synchronized (model) {
            User u = model.user(userId);
            if (u == null) {
                u = create(userId, null, false);
                u.displayname(null);
                u.hasProfile(false);
            }
            return u;
        }
    }

    private User create(String userId, String appserviceId, boolean remote) {
        User u = new User(userId, appserviceId, remote);
        // Synapse sets the displayname to the localpart at registration.
        u.displayname(userId.substring(1, userId.indexOf(':')));
        model.users.put(userId, u);
        model.signal().bump();
        return u;
    }

    /** Adds (or reuses) a device and opens a session on it. */
    public Session login(User u, String deviceId, String displayName) {
        synchronized (model) {
            String id = deviceId != null ? deviceId : model.ids().deviceId();
            User.Device d = u.device(id);
            if (d == null) {
                u.addDevice(new User.Device(id, displayName, model.now()));
            }
            return model.newSession(u.userId(), id);
        }
    }

    /**
     * The user a login names: Synapse's {@code _find_user_id_and_pwd_hash}, the exact id, else the one user
     * whose id matches ignoring case (none when several do). Runs under the model's lock.
     */
    public User findForLogin(String userId) {
        User exact = model.user(userId);
        if (exact != null) {
            return exact;
        }
        User match = null;
        for (User u : model.users()) {
            if (u.userId().equalsIgnoreCase(userId)) {
                if (match != null) {
                    return null;
                }
                match = u;
            }
        }
        return match;
    }

    /**
     * Synapse's {@code set_password}: the new password; with {@code logoutDevices}, every device but the
     * requester's and every access token but its own end ({@code keepDevice}/{@code keepToken} null for an
     * appservice, which has neither: then all of them end).
     */
    public void changePassword(String userId, String password, boolean logoutDevices, String keepDevice,
                               String keepToken) {
        synchronized (model) {
            User u = model.user(userId);
            u.passwordHash(Passwords.hash(password));
            if (logoutDevices) {
                for (String device : java.util.List.copyOf(u.devices().keySet())) {
                    if (!device.equals(keepDevice)) {
                        u.removeDevice(device);
                    }
                }
                model.endSessionsExcept(userId, keepToken);
            }
            model.signal().bump();
        }
    }

    /**
     * Synapse's {@code deactivate_account}, the account's part: devices, tokens and password go, account data is
     * purged, key backups and their keys are deleted (Synapse's {@code bulk_delete_backup_keys_and_versions_for_user}),
     * the user id stays taken and every later login is refused; {@code erase} also blanks the profile.
     * Leaving the rooms is the room service's ({@link RoomService#leaveAll}).
     */
    public void deactivate(String userId, boolean erase) {
        synchronized (model) {
            User u = model.user(userId);
            for (String device : java.util.List.copyOf(u.devices().keySet())) {
                u.removeDevice(device);
            }
            model.endSessionsOf(userId, null);
            u.passwordHash(null);
            u.clearAccountData();
            model.keyBackups().deleteUser(userId);
            u.deactivated(true);
            if (erase) {
                u.displayname(null);
                u.avatarUrl(null);
            }
            model.signal().bump();
        }
    }

    public boolean checkPassword(User u, String password) {
        return Passwords.matches(u.passwordHash(), password);
    }

    /** Parses a login/register {@code user} value: a localpart or a full user id. */
    public String qualify(String userOrLocalpart) {
        return userOrLocalpart.startsWith("@") ? userOrLocalpart : "@" + userOrLocalpart + ":" + model.serverName();
    }
}
